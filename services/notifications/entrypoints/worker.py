"""The notifications service's worker: relay, projections' consumers, the dispatcher and the senders."""
from __future__ import annotations

from eventkit import observability, worker_http
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    observability.init_worker("notifications")
    notifications = bootstrap(config.load())
    try:
        run_forever(notifications.loops(), ops=worker_http.for_service(notifications.config, notifications.pool))
    finally:
        notifications.close()


if __name__ == "__main__":
    main()
