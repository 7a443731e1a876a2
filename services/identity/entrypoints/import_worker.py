"""The import loop in a process of its own: `python -m identity.entrypoints.import_worker`; the
identity worker starts it as its child (service_layer/import_worker.py says why)."""
from __future__ import annotations

from eventkit import logs
from eventkit.worker import run_forever

from .. import config
from ..bootstrap import bootstrap
from ..service_layer.import_worker import limit_memory


def main() -> None:
    logs.configure("identity")
    settings = config.load()
    limit_memory(settings["IMPORT_WORKER_MEMORY_MB"])  # before anything of size is allocated
    identity = bootstrap(settings)
    try:
        run_forever({"identity-imports": identity.import_worker().run})
    finally:
        identity.close()


if __name__ == "__main__":
    main()
