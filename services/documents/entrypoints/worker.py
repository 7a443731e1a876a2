"""The documents service's background worker: its relay and one consumer per projection."""
from __future__ import annotations

from eventkit import observability, worker_http
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap


def main() -> None:
    observability.init_worker("documents")
    documents = bootstrap(config.load())
    try:
        run_forever(documents.loops(), ops=worker_http.for_service(documents.config, documents.pool))
    finally:
        documents.close()


if __name__ == "__main__":
    main()
