"""`projections list|rebuild`: which table serves each projection; rebuild one beside the live copy."""
from __future__ import annotations

import base64
import importlib
import os
import sys
import time
from functools import partial
from pathlib import Path

import psycopg
from kafka import KafkaAdminClient
from psycopg.rows import dict_row
from tqdm import tqdm

import contracts
from contracts.personal import opening_reader
from eventkit import db
from eventkit.consumer import ConsumerRunner
from eventkit.key_release import KeyRelease
from eventkit.kafka import create_consumer, create_producer
from eventkit.offsets import topic_heads
from eventkit.projection import Projection
from eventkit.projection_tables import active_table
from eventkit.rebuild import rebuild

from .settings import Settings

SERVICES_DIR = Path(__file__).resolve().parent.parent / "services"


def service_projections(service: str) -> list[Projection]:
    """A service's PROJECTIONS as its bootstrap.py wires them (its own and the kit's), if it has any."""
    if str(SERVICES_DIR) not in sys.path:  # services are imported as top-level packages, as in PYTHONPATH
        sys.path.append(str(SERVICES_DIR))
    try:
        module = importlib.import_module(f"{service}.bootstrap")
    except ModuleNotFoundError as missing:  # no such service; a module its bootstrap lacks is an error
        if missing.name not in (service, f"{service}.bootstrap"):
            raise
        return []
    return list(getattr(module, "PROJECTIONS", []))


def find(settings: Settings, name: str) -> tuple[str, Projection]:
    for service in settings.databases:
        for projection in service_projections(service):
            if projection.name == name:
                return service, projection
    known = [p.name for s in settings.databases for p in service_projections(s)]
    raise SystemExit(f"no projection {name!r}; known: {', '.join(known) or 'none'}")


def listing(settings: Settings) -> list[dict]:
    rows = []
    for service, dsn in settings.databases.items():
        for projection in service_projections(service):
            try:
                with psycopg.connect(dsn, row_factory=dict_row, connect_timeout=3) as conn:
                    serving = active_table(conn, projection)
            except psycopg.Error as error:  # unreachable, or the service has not migrated yet
                serving = f"unknown: {str(error).strip().splitlines()[0]}"
            rows.append({"service": service, "projection": projection.name, "serving": serving,
                         "topics": ", ".join(projection.topics)})
    return rows


def run_rebuild(settings: Settings, name: str, keep_old: bool = False, progress_file=None,
                processes: int | None = None) -> dict:
    """Rebuild one projection with a progress bar (events and events per second) on stderr, read by
    `processes` members (one a core, by default: each decodes records on one core at most)."""
    service, projection = find(settings, name)
    pool = db.create_pool(settings.databases[service], min_size=2, max_size=4, name="ops-rebuild")
    bar = tqdm(total=0, unit="ev", desc=name, file=progress_file or sys.stderr, dynamic_ncols=True)
    started = time.monotonic()

    def show(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        table = rebuild(pool, projection, partial(_runner, settings, service),
                        lambda: topic_heads(settings.bootstrap, [settings.prefix + t for t in projection.topics]),
                        on_progress=show, keep_old=keep_old, processes=processes or len(os.sched_getaffinity(0)))
    finally:
        bar.close()
        pool.close()
        _forget_group(settings, f"{settings.prefix}{projection.name}~rebuild")
    seconds = time.monotonic() - started
    return {"projection": name, "service": service, "table": table, "events": bar.n,
            "seconds": round(seconds, 1), "events_per_second": round(bar.n / seconds, 1) if seconds else None}


def reader(settings: Settings, service: str, pool):
    """Events read as the service's own consumers read them, people's values opened (issue 17): a rebuild
    that kept the ciphertext would differ from the live projection. Refused, saying what is missing, without
    the service's keys."""
    if service == "identity":
        from identity.adapters.sealing_store import LocalKeys
        from identity.adapters.subject_keys import KeyWrapper
        if not settings.subject_kek:
            raise SystemExit("rebuilding an identity projection needs PORTICO_SUBJECT_KEK "
                             "(eval \"$(bash deploy/local/keys.sh export)\")")
        keys = LocalKeys(pool, KeyWrapper(base64.b64decode(settings.subject_kek)))
    else:
        token = settings.personal_data_tokens.get(service)
        if not token:
            raise SystemExit(f"rebuilding a {service} projection needs PORTICO_PERSONAL_DATA_TOKEN_{service.upper()}"
                             " (eval \"$(bash deploy/local/keys.sh export)\") and PORTICO_IDENTITY_URL")
        keys = KeyRelease(settings.identity_url, token)
    return opening_reader(contracts.catalogue(), keys)


def _runner(settings: Settings, service: str, projection: Projection, pool) -> ConsumerRunner:
    return ConsumerRunner(projection, pool, reader(settings, service, pool),
                          lambda group: create_consumer(settings.bootstrap, group, f"ops-{group}"),
                          partial(create_producer, settings.bootstrap, "ops-rebuild-dlq"),
                          topic_prefix=settings.prefix, follow_registry=False)


def _forget_group(settings: Settings, group: str) -> None:
    """The rebuild's consumer group is of no use once switched; don't leave it in `lag`."""
    try:
        admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, client_id="portico-ops")
        try:
            admin.delete_groups([group])
        finally:
            admin.close()
    except Exception:  # housekeeping only: an empty group that lingers harms nothing
        pass
