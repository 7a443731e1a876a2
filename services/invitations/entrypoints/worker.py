"""The invitations service's background worker: relay, projections, batches, acceptances, expiry."""
from __future__ import annotations

from eventkit import observability, worker_http
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    observability.init_worker("invitations")
    invitations = bootstrap(config.load())
    try:
        run_forever(invitations.loops(), ops=worker_http.for_service(invitations.config, invitations.pool))
    finally:
        invitations.close()


if __name__ == "__main__":
    main()
