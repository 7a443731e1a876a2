"""The invitations service's deployment step: `python -m invitations.entrypoints.migrate` brings its database to
this version's schema, once, before the web and the worker start (they never migrate)."""
from __future__ import annotations

from eventkit import logs

from .. import config
from ..bootstrap import migrate


def main() -> None:
    logs.configure("invitations")
    migrated = migrate(config.load())
    print("invitations: schema migrated" if migrated else "invitations: schema already up to date")


if __name__ == "__main__":
    main()
