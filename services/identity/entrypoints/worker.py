"""The identity service's background worker: the outbox relay."""
from __future__ import annotations

import logging

from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    identity = bootstrap(config.load())
    try:
        run_forever({"identity-relay": identity.relay().run})
    finally:
        identity.close()


if __name__ == "__main__":
    main()
