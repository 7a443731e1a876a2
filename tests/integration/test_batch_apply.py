"""A batch's quick pass takes for granted the table serving its projection and that its events are new, and
checks both before it commits: a rebuild's switch or an event seen before is never applied on a wrong guess.

Against the real database: a projection that counts its events by key, fed batches through BatchApplier.
"""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import psycopg
import pytest
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from eventkit.batch import BatchApplier, Work
from eventkit.db import kit_schema
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement
from eventkit.projection_tables import install, switch

COUNT = Statement("INSERT INTO {table} (k, n) SELECT k, 1 FROM {rows}"
                  " ON CONFLICT (k) DO UPDATE SET n = {table}.n + 1", columns={"k": "text"}, key=("k",))
PROJECTION = Projection(name="demo.counts.v1", table="counts_v1", topics=("t",),
                        reducers={"demo.counted": lambda e: [COUNT.row(k=e.data["k"])]},
                        schema="CREATE TABLE IF NOT EXISTS {table} (k text PRIMARY KEY, n integer NOT NULL)")


class Contracts:
    def read(self, event):
        return event


def event(offset: int, key: str = "a") -> tuple[SimpleNamespace, StoredEvent]:
    stored = StoredEvent(offset + 1, "s-1", "s", offset + 1, uuid.uuid4(), "demo.counted", 1, "demo",
                         datetime(2026, 1, 1, tzinfo=timezone.utc), "staff", uuid.uuid4(), None, None, {"k": key})
    return SimpleNamespace(topic="t", partition=0, offset=offset), stored


@pytest.fixture
def pool(database):
    dsn = database("batch_apply")
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(kit_schema())
        conn.execute("DROP TABLE IF EXISTS counts_v1, counts_v1_rebuilt")
        conn.execute("TRUNCATE processed_events, consumer_positions, projection_tables")
        for table in ("counts_v1", "counts_v1_rebuilt"):
            conn.execute(PROJECTION.ddl(table))
        install(conn, [PROJECTION])
    with ConnectionPool(dsn, min_size=1, max_size=2, kwargs={"row_factory": dict_row}, open=True) as opened:
        yield opened


def applier(pool) -> BatchApplier:
    return BatchApplier([PROJECTION], pool, Contracts(), dead_letter=lambda *a: pytest.fail(f"dead-lettered {a}"))


def apply(batches: BatchApplier, *events):
    work = [Work(PROJECTION, record, stored, list(PROJECTION.rows_for(stored))) for record, stored in events]
    offsets = {("t", 0): (max(r.offset for r, _ in events), 0)}
    return batches.apply(work, offsets)


def counts(pool, table: str) -> dict[str, int]:
    with pool.connection() as conn:
        return {r["k"]: r["n"] for r in conn.execute(f"SELECT k, n FROM {table}")}


def test_after_a_switch_the_next_batch_goes_to_the_new_table_not_the_one_it_guessed(pool):
    batches = applier(pool)
    apply(batches, event(0))  # the registry answered: counts_v1
    with pool.connection() as conn:
        switch(conn, PROJECTION, "counts_v1_rebuilt")

    outcome = apply(batches, event(1, "b"))

    assert outcome.tables == {PROJECTION.name: "counts_v1_rebuilt"}
    assert counts(pool, "counts_v1") == {"a": 1}
    assert counts(pool, "counts_v1_rebuilt") == {"b": 1}


def test_an_event_seen_before_in_a_guessed_batch_is_applied_once_and_the_new_ones_beside_it(pool):
    batches = applier(pool)
    seen = event(0)
    apply(batches, seen)

    outcome = apply(batches, seen, event(1), event(2, "b"))

    assert counts(pool, "counts_v1") == {"a": 2, "b": 1}
    assert len(outcome.applied[PROJECTION.name]) == 2
    with pool.connection() as conn:
        assert conn.execute("SELECT count(*) AS n FROM processed_events").fetchone()["n"] == 3
        assert conn.execute("SELECT kafka_offset FROM consumer_positions").fetchone()["kafka_offset"] == 2
