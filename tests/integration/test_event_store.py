"""The event store on a real PostgreSQL: versions, conflicts, the outbox and gap-free positions."""
from __future__ import annotations

import threading
import uuid

import pytest

import contracts
from eventkit import db
from eventkit.envelope import Metadata, NewEvent
from eventkit.errors import ConcurrencyConflict, ContractViolation
from eventkit.set_apply import encode
from eventkit.store import _APPEND_JSON, EventStore, StreamAppend

ARCHIVED = "portico.identity.customer.archived"


@pytest.fixture(scope="module")
def store_pool(database):
    dsn = database("eventstore")
    db.migrate(dsn)
    pool = db.create_pool(dsn, max_size=12)
    yield pool
    pool.close()


@pytest.fixture(scope="module")
def store():
    return EventStore("/portico/test", contracts.catalogue())


def archived(n=0):
    return NewEvent(ARCHIVED, 1, {"customer_id": str(uuid.uuid4()), "code": f"C{n}", "reason": None})


def append(pool, store, stream, expected, *events, tenant="demo"):
    with pool.connection() as conn:
        return store.append(conn, [StreamAppend(stream, "customer", expected, list(events))],
                            Metadata(tenant_id=tenant, actor="test"))


def test_events_are_read_back_in_stream_order_with_their_metadata(store_pool, store):
    stream = f"customer-{uuid.uuid4()}"
    first = append(store_pool, store, stream, 0, archived(1), archived(2))
    with store_pool.connection() as conn:
        read = store.read_stream(conn, stream)
    assert [e.stream_version for e in read] == [1, 2]
    assert [e.id for e in read] == [e.id for e in first]
    assert read[0].tenant_id == "demo" and read[0].actor == "test"
    assert read[0].position < read[1].position


def test_appending_at_a_stale_version_is_a_conflict_and_writes_nothing(store_pool, store):
    stream = f"customer-{uuid.uuid4()}"
    append(store_pool, store, stream, 0, archived())
    with pytest.raises(ConcurrencyConflict) as conflict:
        append(store_pool, store, stream, 0, archived())
    assert (conflict.value.expected, conflict.value.actual) == (0, 1)
    with pytest.raises(ConcurrencyConflict):
        append(store_pool, store, stream, 5, archived())  # ahead of the stream is no better
    with store_pool.connection() as conn:
        assert len(store.read_stream(conn, stream)) == 1


def test_every_event_gets_an_outbox_row_in_the_same_transaction(store_pool, store):
    stored = append(store_pool, store, f"customer-{uuid.uuid4()}", 0, archived(), archived())
    with store_pool.connection() as conn:
        rows = conn.execute("SELECT position, topic FROM outbox WHERE position = ANY(%s) ORDER BY position",
                            ([e.position for e in stored],)).fetchall()
    assert [(r["position"], r["topic"]) for r in rows] == [(e.position, "portico.identity") for e in stored]


def test_an_event_that_breaks_its_contract_is_never_stored(store_pool, store):
    stream = f"customer-{uuid.uuid4()}"
    bad = NewEvent(ARCHIVED, 1, {"customer_id": "not-a-uuid", "code": "C"})
    with pytest.raises(ContractViolation):
        append(store_pool, store, stream, 0, archived(), bad)
    with store_pool.connection() as conn:
        assert store.read_stream(conn, stream) == []


def test_streams_of_one_append_keep_their_own_metadata(store_pool, store):
    one, two = f"customer-{uuid.uuid4()}", f"customer-{uuid.uuid4()}"
    own = Metadata(tenant_id="other", actor="notifications", causation_id=uuid.uuid4(), traceparent=None)
    with store_pool.connection() as conn:
        stored = store.append(conn, [StreamAppend(one, "customer", 0, [archived(1)]),
                                     StreamAppend(two, "customer", 0, [archived(2)], meta=own)],
                              Metadata(tenant_id="demo", actor="test"))
        read = [store.read_stream(conn, s)[0] for s in (one, two)]
    assert [(e.tenant_id, e.actor) for e in read] == [("demo", "test"), ("other", "notifications")]
    assert read[1].causation_id == own.causation_id and read[1].correlation_id == own.correlation_id
    assert [(e.tenant_id, e.causation_id) for e in stored] == [(e.tenant_id, e.causation_id) for e in read]


def staged(pool, store, *appends, tenant="demo"):
    with pool.connection() as conn:
        return store.append_staged(conn, [StreamAppend(s, "customer", v, list(e)) for s, v, e in appends],
                                   Metadata(tenant_id=tenant, actor="importer"))


def test_a_staged_chunk_is_stored_and_queued_like_an_append_in_stream_order(store_pool, store):
    one, two = f"customer-{uuid.uuid4()}", f"customer-{uuid.uuid4()}"
    append(store_pool, store, two, 0, archived(0))
    stored = staged(store_pool, store, (one, 0, [archived(1), archived(2)]), (two, 1, [archived(3)]))
    with store_pool.connection() as conn:
        read = {s: store.read_stream(conn, s) for s in (one, two)}
        queued = conn.execute("SELECT position, topic FROM outbox WHERE position = ANY(%s) ORDER BY position",
                              ([e.position for e in stored],)).fetchall()
    assert [e.stream_version for e in read[one]] == [1, 2] and [e.stream_version for e in read[two]] == [1, 2]
    assert [e.id for e in read[one] + read[two][1:]] == [e.id for e in stored]
    assert [e.data for e in read[one]] == [e.data for e in stored[:2]] and read[one][0].actor == "importer"
    assert [e.position for e in stored] == sorted(e.position for e in stored)
    assert [(r["position"], r["topic"]) for r in queued] == [(e.position, "portico.identity") for e in stored]


def test_a_staged_chunk_with_one_stale_stream_writes_none_of_its_streams(store_pool, store):
    fresh, changed = f"customer-{uuid.uuid4()}", f"customer-{uuid.uuid4()}"
    append(store_pool, store, changed, 0, archived())
    with pytest.raises(ConcurrencyConflict) as conflict:
        staged(store_pool, store, (fresh, 0, [archived(1)]), (changed, 0, [archived(2)]))
    assert (conflict.value.stream_id, conflict.value.actual) == (changed, 1)
    with store_pool.connection() as conn:
        assert store.read_stream(conn, fresh) == [] and len(store.read_stream(conn, changed)) == 1


def test_two_staged_chunks_in_one_transaction_each_write_only_their_own_events(store_pool, store):
    one, two = f"customer-{uuid.uuid4()}", f"customer-{uuid.uuid4()}"
    meta = Metadata(tenant_id="demo", actor="importer")
    with store_pool.connection() as conn:
        store.append_staged(conn, [StreamAppend(one, "customer", 0, [archived(1)])], meta)
        second = store.append_staged(conn, [StreamAppend(two, "customer", 0, [archived(2)])], meta)
        conn.rollback()  # a failed chunk: nothing of it stays
        assert store.read_stream(conn, one) == [] and store.read_stream(conn, two) == []
        assert conn.execute("SELECT count(*) AS n FROM outbox WHERE position = %s",
                            (second[0].position,)).fetchone()["n"] == 0
        store.append_staged(conn, [StreamAppend(one, "customer", 0, [archived(1)])], meta)
        store.append_staged(conn, [StreamAppend(two, "customer", 0, [archived(2)])], meta)
        conn.commit()
        assert [len(store.read_stream(conn, s)) for s in (one, two)] == [1, 1]


def test_a_reader_tailing_by_position_never_skips_a_late_commit(store_pool, store):
    """Writers commit in random order while a reader tails; the reader must see every event."""
    with store_pool.connection() as conn:
        start = conn.execute("SELECT coalesce(max(position), 0) AS p FROM events").fetchone()["p"]
    written, seen, done = [], [], threading.Event()

    def writer(n):
        for i in range(15):
            written.extend(e.position for e in append(store_pool, store, f"customer-{uuid.uuid4()}", 0,
                                                      archived(n * 100 + i)))

    def tail():
        after = start
        while not done.is_set() or after < max(written, default=start):
            with store_pool.connection() as conn:
                batch = store.read_all(conn, after=after, limit=50)
            seen.extend(e.position for e in batch)
            after = batch[-1].position if batch else after

    reader = threading.Thread(target=tail)
    reader.start()
    writers = [threading.Thread(target=writer, args=(n,)) for n in range(6)]
    for w in writers:
        w.start()
    for w in writers:
        w.join()
    done.set()
    reader.join(timeout=30)
    assert sorted(seen) == sorted(written)
    assert len(seen) == 90


def test_a_commands_version_check_reads_its_stream_by_the_primary_key_however_big_the_store(store_pool, store):
    with store_pool.connection() as conn:  # a store of a few thousand events, in one append
        store.append(conn, [StreamAppend(f"customer-{uuid.uuid4()}", "customer", 0, [archived(n)])
                            for n in range(3000)], Metadata(tenant_id="demo", actor="test"))
        stream = f"customer-{uuid.uuid4()}"
        rows = store._rows([StreamAppend(stream, "customer", 0, [archived()])], Metadata("demo", "test"))
        plan = "\n".join(r["QUERY PLAN"] for r in conn.execute(
            f"EXPLAIN {_APPEND_JSON}", {"events": encode(rows), "streams": encode([{"stream_id": stream,
                                                                                       "expected": 0}])}))
        conn.rollback()
    assert "Seq Scan on events" not in plan, plan  # a scan of the whole store for each command
    assert "using events_pkey on events" in plan, plan
