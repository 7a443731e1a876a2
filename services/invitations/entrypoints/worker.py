"""The invitations service's background worker: its relay and one consumer per projection."""
from __future__ import annotations

from eventkit import logs, worker_http
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    logs.configure("invitations")
    invitations = bootstrap(config.load())
    loops = {"invitations-relay": invitations.relay().run}
    for projection in invitations.projections:
        loops[projection.name] = invitations.consumer(projection).run
    try:
        run_forever(loops, ops=worker_http.for_service(invitations.config, invitations.pool))
    finally:
        invitations.close()


if __name__ == "__main__":
    main()
