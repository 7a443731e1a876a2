"""The append-only event store in a service's PostgreSQL database, with its transactional outbox."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol, Sequence

import psycopg
from psycopg.types.json import Jsonb

from .envelope import Metadata, NewEvent, StoredEvent
from .errors import ConcurrencyConflict

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


_INSERT = """
INSERT INTO events (stream_id, stream_type, stream_version, event_id, event_type, schema_version,
                    tenant_id, occurred_at, actor, correlation_id, causation_id, traceparent, data)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
RETURNING position
"""
_COLUMNS = """position, stream_id, stream_type, stream_version, event_id, event_type, schema_version,
              tenant_id, occurred_at, actor, correlation_id, causation_id, traceparent, data"""


class EventStore:
    """Appends and reads events; `source` is the CloudEvents source of everything appended here."""

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
        # Concurrency decision: positions come from a sequence, so without this lock a transaction
        # holding position 7 could commit after one holding position 8, and anyone tailing by
        # position (the relay, a projection catching up, read-your-writes) would skip 7 for good.
        # Serialising appenders makes commit order equal position order. Readers are not blocked.
        conn.execute("LOCK TABLE events IN EXCLUSIVE MODE")
        self._check_versions(conn, appends)
        rows, stored = [], []
        for item in appends:
            for offset, event in enumerate(item.events, start=1):
                rows.append((item.stream_id, item.stream_type, item.expected_version + offset, event.id,
                             event.type, event.version, meta.tenant_id, event.occurred_at, meta.actor,
                             meta.correlation_id, meta.causation_id, meta.traceparent, Jsonb(dict(event.data))))
        with conn.cursor() as cur:
            cur.executemany(_INSERT, rows, returning=True)
            positions = []
            while True:
                positions.append(cur.fetchone()["position"])
                if not cur.nextset():
                    break
            cur.executemany(
                "INSERT INTO outbox (position, topic) VALUES (%s, %s)",
                [(p, self.topic_prefix + self.contracts.topic_of(r[4])) for p, r in zip(positions, rows)],
            )
        conn.execute(f"NOTIFY {OUTBOX_CHANNEL}")
        for position, row in zip(positions, rows):
            stored.append(StoredEvent(
                position=position, stream_id=row[0], stream_type=row[1], stream_version=row[2], id=row[3],
                type=row[4], version=row[5], tenant_id=row[6], occurred_at=row[7], actor=row[8],
                correlation_id=row[9], causation_id=row[10], traceparent=row[11], data=dict(row[12].obj),
                source=self.source,
            ))
        return stored

    def _check_versions(self, conn: psycopg.Connection, appends: list[StreamAppend]) -> None:
        ids = [a.stream_id for a in appends]
        current = {
            r["stream_id"]: r["version"]
            for r in conn.execute(
                "SELECT stream_id, max(stream_version) AS version FROM events"
                " WHERE stream_id = ANY(%s) GROUP BY stream_id", (ids,),
            )
        }
        for item in appends:
            actual = current.get(item.stream_id, 0)
            if actual != item.expected_version:
                raise ConcurrencyConflict(item.stream_id, item.expected_version, actual)

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
