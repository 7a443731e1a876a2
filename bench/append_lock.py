"""What the event store's append lock costs: appends per second with it, and the same appends without it.

THREADS threads each append APPENDS one-event commands (a new stream each, as a registration's) to a
fresh database through the real EventStore, first with `LOCK TABLE events` (today's store), then
without it, which is what tailing below pg_snapshot_xmin(pg_current_snapshot()) would let appends do
(every writing transaction has its transaction id anyway; that alternative's cost is on the reading
side, one snapshot per relay batch). Rounds alternate, ROUNDS times each, and the medians are reported,
so a neighbour's load hits both alike.
"""
from __future__ import annotations

import os
import statistics
import threading
import time
import uuid

import psycopg

import contracts
from eventkit import db
from eventkit.envelope import Metadata, NewEvent
from eventkit.store import EventStore, StreamAppend

from .customer_import import ADMIN_DSN

THREADS = int(os.environ.get("BENCH_APPEND_THREADS", "8"))
APPENDS = int(os.environ.get("BENCH_APPENDS", "250"))  # per thread and round
ROUNDS = int(os.environ.get("BENCH_APPEND_ROUNDS", "3"))
ARCHIVED = "portico.identity.customer.archived"


class UnlockedStore(EventStore):
    append_lock = "SELECT 1"  # the same round trip, without the lock


def _appends_per_second(pool, store: EventStore) -> float:
    start = threading.Barrier(THREADS + 1)

    def work():
        start.wait()
        for n in range(APPENDS):
            with pool.connection() as conn:
                store.append(conn, [StreamAppend(f"customer-{uuid.uuid4()}", "customer", 0, [
                    NewEvent(ARCHIVED, 1, {"customer_id": str(uuid.uuid4()), "code": f"C{n}", "reason": None})])],
                    Metadata(tenant_id="bench", actor="bench"))

    threads = [threading.Thread(target=work) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return THREADS * APPENDS / (time.perf_counter() - began)


def run() -> list[dict]:
    name = f"bench_{uuid.uuid4().hex[:8]}_appends"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        dsn = psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name)
        db.migrate(dsn)
        pool = db.create_pool(dsn, max_size=THREADS, name="bench-appends")
        catalogue = contracts.catalogue()
        locked, unlocked = EventStore("/portico/bench", catalogue), UnlockedStore("/portico/bench", catalogue)
        figures = {"locked": [], "unlocked": []}
        try:
            for _ in range(ROUNDS):
                figures["locked"].append(_appends_per_second(pool, locked))
                figures["unlocked"].append(_appends_per_second(pool, unlocked))
        finally:
            pool.close()
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    with_lock, without = statistics.median(figures["locked"]), statistics.median(figures["unlocked"])
    note = (f"{THREADS} threads x {APPENDS} one-event appends, {ROUNDS} alternating rounds each; with the lock "
            f"{', '.join(f'{v:,.0f}' for v in figures['locked'])}/s, without "
            f"{', '.join(f'{v:,.0f}' for v in figures['unlocked'])}/s")
    return [{"benchmark": "event store: appends with the table lock", "value": with_lock, "unit": "appends/s",
             "baseline": without, "baseline_name": "the same appends without the lock", "notes": note}]
