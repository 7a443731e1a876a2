"""The append-only event store in a service's PostgreSQL database, with its transactional outbox."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

import psycopg

from .envelope import Metadata, NewEvent, StoredEvent
from .errors import ConcurrencyConflict
from .set_apply import encode

OUTBOX_CHANNEL = "portico_outbox"


class Contracts(Protocol):
    """What the store needs of the event catalogue: validation and routing."""

    def validate(self, event_type: str, version: int, data: dict) -> None: ...

    def topic_of(self, event_type: str) -> str: ...


@dataclass(frozen=True)
class StreamAppend:
    """New events for one stream, and the version the caller last saw it at (0: a new stream)."""

    stream_id: str
    stream_type: str
    expected_version: int
    events: Sequence[NewEvent]
    meta: Metadata | None = None  # this stream's own metadata, when not the call's (each e-mail's outcome)


# One statement checks every stream's version, appends the events in order and queues them in the
# outbox; it inserts nothing unless every stream is at the version its caller expected. Each stream's
# version is read by itself, the last entry of the primary key (stream_id, stream_version): a join to
# the parameter, planned for a guessed hundred streams, scanned the whole table for each command. The
# events come from a JSON parameter (a command's few) or from the session's staging table (an import's
# chunk, written there with COPY: see append_staged), and each stream's expected version from a
# parameter or from the staged rows themselves (the version before its first staged event).
_FROM_JSON = """SELECT * FROM jsonb_to_recordset(%(events)s::jsonb) AS r(n integer, stream_id text, stream_type text,
        stream_version integer, event_id uuid, event_type text, schema_version integer, occurred_at timestamptz,
        data jsonb, topic text, tenant_id text, actor text, correlation_id uuid, causation_id uuid, traceparent text)"""
_STREAMS_FROM_JSON = "SELECT * FROM jsonb_to_recordset(%(streams)s::jsonb) AS s(stream_id text, expected integer)"
_FROM_STAGED = "SELECT * FROM staged_events"
_STREAMS_FROM_STAGED = "SELECT stream_id, min(stream_version) - 1 AS expected FROM staged_events GROUP BY stream_id"
_STAGING_TABLE = """CREATE TEMP TABLE IF NOT EXISTS staged_events (n integer, stream_id text, stream_type text,
    stream_version integer, event_id uuid, event_type text, schema_version integer, occurred_at timestamptz,
    data jsonb, topic text, tenant_id text, actor text, correlation_id uuid, causation_id uuid, traceparent text)
    ON COMMIT DELETE ROWS"""
_STAGED_COLUMNS = ("n", "stream_id", "stream_type", "stream_version", "event_id", "event_type", "schema_version",
                   "occurred_at", "data", "topic", "tenant_id", "actor", "correlation_id", "causation_id",
                   "traceparent")
_APPEND = """
WITH r AS ({events}), current AS (
    SELECT s.stream_id, s.expected,
           coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream_id), 0) AS version
    FROM ({streams}) AS s
), new AS (
    INSERT INTO events (stream_id, stream_type, stream_version, event_id, event_type, schema_version,
                        tenant_id, occurred_at, actor, correlation_id, causation_id, traceparent, data)
    SELECT r.stream_id, r.stream_type, r.stream_version, r.event_id, r.event_type, r.schema_version,
           r.tenant_id, r.occurred_at, r.actor, r.correlation_id, r.causation_id, r.traceparent, r.data
    FROM r WHERE NOT EXISTS (SELECT 1 FROM current WHERE version <> expected) ORDER BY r.n
    RETURNING position, event_id
), queued AS (
    INSERT INTO outbox (position, topic) SELECT new.position, r.topic FROM new JOIN r USING (event_id)
)
SELECT new.position, new.event_id, NULL::text AS stream_id, NULL::integer AS version FROM new
UNION ALL
SELECT NULL, NULL, stream_id, version FROM current WHERE version <> expected
"""
_APPEND_JSON = _APPEND.format(events=_FROM_JSON, streams=_STREAMS_FROM_JSON)
_APPEND_STAGED = _APPEND.format(events=_FROM_STAGED, streams=_STREAMS_FROM_STAGED)
_COLUMNS = """position, stream_id, stream_type, stream_version, event_id, event_type, schema_version,
              tenant_id, occurred_at, actor, correlation_id, causation_id, traceparent, data"""


def _metadata(meta: Metadata) -> dict:
    return {"tenant_id": meta.tenant_id, "actor": meta.actor, "correlation_id": meta.correlation_id,
            "causation_id": meta.causation_id, "traceparent": meta.traceparent}


class EventStore:
    """Appends and reads events; `source` is the CloudEvents source of everything appended here."""

    append_lock = "LOCK TABLE events IN EXCLUSIVE MODE"  # why, and what it costs: see _insert

    def __init__(self, source: str, contracts: Contracts, topic_prefix: str = ""):
        self.source = source
        self.contracts = contracts
        self.topic_prefix = topic_prefix  # names an environment's topics apart, e.g. one test run's

    def append(self, conn: psycopg.Connection, appends: Iterable[StreamAppend], meta: Metadata) -> list[StoredEvent]:
        """Append to one or more streams inside the caller's transaction, all or nothing."""
        appends = [a for a in appends if a.events]
        if not appends:
            return []
        for item in appends:
            for event in item.events:
                self.contracts.validate(event.type, event.version, dict(event.data))
        rows = self._rows(appends, meta)
        streams = [{"stream_id": a.stream_id, "expected": a.expected_version} for a in appends]
        return self._insert(conn, _APPEND_JSON, {"events": encode(rows), "streams": encode(streams)}, rows, appends)

    def append_staged(self, conn: psycopg.Connection, appends: Sequence[StreamAppend],
                      meta: Metadata) -> list[StoredEvent]:
        """Append many streams' events (an import's chunk) as `append` does, without validating them again:
        COPY into the session's staging table, then one INSERT ... SELECT into events and outbox.

        Only for events built by domain code from input already validated field by field (an import's
        rows): such a builder's output matches its contract by construction, which a test checks with the
        compiled validator over a sample (tests/unit/test_import_events_valid.py). Anything else appends
        with `append`, which validates."""
        appends = [a for a in appends if a.events]
        if not appends:
            return []
        rows = self._rows(appends, meta)
        conn.execute(_STAGING_TABLE)
        conn.execute("TRUNCATE staged_events")  # ON COMMIT empties it; this covers two chunks in one transaction
        with conn.cursor().copy(f"COPY staged_events ({', '.join(_STAGED_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row([encode(row["data"]) if c == "data" else row[c] for c in _STAGED_COLUMNS])
        return self._insert(conn, _APPEND_STAGED, {}, rows, appends)

    def _rows(self, appends: Sequence[StreamAppend], meta: Metadata) -> list[dict]:
        return [{"n": n, "stream_id": item.stream_id, "stream_type": item.stream_type,
                 "stream_version": item.expected_version + offset, "event_id": event.id, "event_type": event.type,
                 "schema_version": event.version, "occurred_at": event.occurred_at, "data": dict(event.data),
                 "topic": self.topic_prefix + self.contracts.topic_of(event.type), **_metadata(item.meta or meta)}
                for n, (item, offset, event) in enumerate(
                    (item, offset, event) for item in appends for offset, event in enumerate(item.events, start=1))]

    def _insert(self, conn: psycopg.Connection, statement: str, params: dict, rows: list[dict],
                appends: Sequence[StreamAppend]) -> list[StoredEvent]:
        # Concurrency decision: positions come from a sequence, so without this lock a transaction
        # holding position 7 could commit after one holding position 8, and anyone tailing by
        # position (the relay, a projection catching up, read-your-writes) would skip 7 for good.
        # Serialising appenders makes commit order equal position order. Readers are not blocked.
        # The lock, the append and the NOTIFY go in one pipelined round trip, so the lock is held
        # for one round trip plus the commit rather than one per statement.
        # What it costs (`python -m bench append_lock`: 8 threads appending one-event commands, then the
        # same appends without it, rounds alternating, a quiet machine): 451 appends/s with it against
        # 745/s without (0.61), because each commit's WAL flush happens while the lock is held, so
        # concurrent commands cannot share one flush. Committing with synchronous_commit = off and then
        # waiting for a flush of one's own after the lock is gone was tried and measured slower (375/s):
        # the extra round trip and WAL record cost more than the shared flush saves. The lock stays:
        # tailing below pg_snapshot_xmin(pg_current_snapshot()) alone does not keep positions in commit
        # order (transaction ids are taken at a transaction's first write, positions at its append, so a
        # lower xid may hold a higher position), and read-your-writes and each consumer's source_position
        # take a position as "everything up to here"; retiring the lock means moving those to a watermark
        # the relay computes, with the fault suite's proof.
        with conn.pipeline():
            conn.execute(self.append_lock)
            cursor = conn.execute(statement, params)
            conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
        result = cursor.fetchall()
        conflicts = {r["stream_id"]: r["version"] for r in result if r["stream_id"] is not None}
        for item in appends:
            if item.stream_id in conflicts:
                raise ConcurrencyConflict(item.stream_id, item.expected_version, conflicts[item.stream_id])
        position_of = {r["event_id"]: r["position"] for r in result}
        return [StoredEvent(
            position=position_of[row["event_id"]], stream_id=row["stream_id"], stream_type=row["stream_type"],
            stream_version=row["stream_version"], id=row["event_id"], type=row["event_type"],
            version=row["schema_version"], tenant_id=row["tenant_id"], occurred_at=row["occurred_at"],
            actor=row["actor"], correlation_id=row["correlation_id"], causation_id=row["causation_id"],
            traceparent=row["traceparent"], data=row["data"], source=self.source) for row in rows]

    def read_stream(self, conn: psycopg.Connection, stream_id: str) -> list[StoredEvent]:
        """All events of one stream, oldest first."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = %s ORDER BY stream_version", (stream_id,)
        ).fetchall()
        return [self.from_row(r) for r in rows]

    def read_streams(self, conn: psycopg.Connection, stream_ids: Sequence[str]) -> dict[str, list[StoredEvent]]:
        """Many streams in one query (a batch import's), each oldest first; streams with no events are absent."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE stream_id = ANY(%s) ORDER BY stream_id, stream_version",
            (list(stream_ids),),
        ).fetchall()
        streams: dict[str, list[StoredEvent]] = {}
        for r in rows:
            streams.setdefault(r["stream_id"], []).append(self.from_row(r))
        return streams

    def read_all(self, conn: psycopg.Connection, after: int = 0, limit: int = 1000) -> list[StoredEvent]:
        """Events in global order after a position; gap-free because appends are serialised."""
        rows = conn.execute(
            f"SELECT {_COLUMNS} FROM events WHERE position > %s ORDER BY position LIMIT %s", (after, limit)
        ).fetchall()
        return [self.from_row(r) for r in rows]

    def from_row(self, r: dict) -> StoredEvent:
        return StoredEvent(
            position=r["position"], stream_id=r["stream_id"], stream_type=r["stream_type"],
            stream_version=r["stream_version"], id=r["event_id"], type=r["event_type"],
            version=r["schema_version"], tenant_id=r["tenant_id"], occurred_at=r["occurred_at"],
            actor=r["actor"], correlation_id=r["correlation_id"], causation_id=r["causation_id"],
            traceparent=r["traceparent"], data=r["data"], source=self.source,
        )
