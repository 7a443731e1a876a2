"""The import loop in a process of its own: `python -m identity.entrypoints.import_worker`; the
identity worker starts it as its child (service_layer/import_worker.py says why)."""
from __future__ import annotations

from eventkit import logs
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    logs.configure("identity")
    identity = bootstrap(config.load())
    try:
        run_forever({"identity-imports": identity.import_worker().run})
    finally:
        identity.close()


if __name__ == "__main__":
    main()
