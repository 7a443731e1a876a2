"""The identity service's background worker: the outbox relay and its projections' consumers."""
from __future__ import annotations

from eventkit import observability, worker_http
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    observability.init_worker("identity")
    identity = bootstrap(config.load())
    try:
        run_forever(identity.loops(),
                    ops=worker_http.for_service(identity.config, identity.pool))
    finally:
        identity.close()


if __name__ == "__main__":
    main()
