"""The invitations service's background worker: its relay and one consumer per projection."""
from __future__ import annotations

import logging

from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    invitations = bootstrap(config.load())
    loops = {"invitations-relay": invitations.relay().run}
    for projection in invitations.projections:
        loops[projection.name] = invitations.consumer(projection).run
    try:
        run_forever(loops)
    finally:
        invitations.close()


if __name__ == "__main__":
    main()
