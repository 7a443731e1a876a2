"""Apply one poll's records to a consumer's projections: one transaction, a few set-based statements.

A record no projection handles is skipped by its `ce_type` header, before it is parsed. The others
are parsed (orjson), validated (compiled schemas) and reduced to rows; a record that fails any of
that is dead-lettered at once, since doing it again would fail again. The quick pass then records the
batch's event ids in processed_events in one statement (a redelivered event comes back as already
seen and changes nothing), applies every projection's rows in sets (eventkit/set_apply.py) and saves
each projection's offsets, in one transaction. Only if that fails is the batch replayed event by
event, each in a savepoint, with the same rows, so that just the failing event is dead-lettered.

The quick pass goes to the server in one pipelined round trip and its commit in a second. It does not
wait for the answers it builds on, the table serving each projection and which events are new: it
takes the tables the registry named last time and every event for new, and reads the answers before
it commits. Where one differs (a rebuild switched a table, an event came back), it rolls back and goes
again, this time waiting for each answer.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Callable, Protocol, Sequence

import psycopg
import structlog
from psycopg.rows import tuple_row
from psycopg_pool import ConnectionPool

from . import telemetry, tracing
from .cloudevents import from_record
from .db import pipelined_transaction
from .envelope import StoredEvent
from .key_release import KeyReleaseUnavailable
from .projection import Projection, Row
from .projection_tables import ask_active_tables
from .set_apply import encode, execute

log = logging.getLogger("eventkit.consumer")
Offsets = dict[tuple[str, int], tuple[int, int]]  # (topic, partition) -> (last offset, source position)
Peeked = tuple["str | None", int, dict]  # a record's event type, source position and headers (see peek)
DeadLetter = Callable[[Any, str, BaseException], None]  # (record, projection name, why)

_PROCESSED = (
    "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
    " SELECT consumer, event_id, topic, kafka_partition, kafka_offset FROM jsonb_to_recordset(%(rows)s::jsonb)"
    " AS rows(consumer text, event_id uuid, topic text, kafka_partition integer, kafka_offset bigint)"
    " ON CONFLICT DO NOTHING RETURNING consumer, event_id")
_POSITIONS = (
    "INSERT INTO consumer_positions (consumer, topic, kafka_partition, kafka_offset, source_position)"
    " SELECT consumer, topic, kafka_partition, kafka_offset, source_position FROM jsonb_to_recordset(%(rows)s::jsonb)"
    " AS rows(consumer text, topic text, kafka_partition integer, kafka_offset bigint, source_position bigint)"
    " ON CONFLICT (consumer, topic, kafka_partition) DO UPDATE SET"
    "  kafka_offset = GREATEST(consumer_positions.kafka_offset, EXCLUDED.kafka_offset),"
    "  source_position = GREATEST(consumer_positions.source_position, EXCLUDED.source_position),"
    "  updated_at = now()")
# A consumer's transaction may be lost in a server crash after it answered, without harm: its effects,
# processed events and offsets go together, so the batch is simply read and applied again; and any
# later synchronous commit (a command, an e-mail claimed) flushes the WAL this one wrote before it.
_REPLAYABLE = "SET LOCAL synchronous_commit = off"


class _WrongGuess(Exception):
    """The registry or processed_events answered otherwise than the quick pass took for granted."""


class Contracts(Protocol):
    def read(self, event: StoredEvent) -> StoredEvent:
        """Validate an incoming event (upcasting old versions); raise if it is invalid."""


@dataclass
class Work:
    """One event for one projection, with the rows it contributes."""

    projection: Projection
    record: Any
    event: StoredEvent
    rows: Sequence[Row]


@dataclass
class Outcome:
    applied: dict[str, list[StoredEvent]] = field(default_factory=dict)  # projection name -> events applied
    tables: dict[str, str] = field(default_factory=dict)


def peek(headers) -> Peeked:
    """The record's event type and source position from its headers, without parsing anything else; and the
    headers as a dict, which from_record reads the rest from (a rebuild spent 10% of its time building it twice)."""
    found = dict(headers or ())  # built in C: cheaper than a loop over a record's sixteen headers
    event_type, position = found.get("ce_type"), found.get("ce_position")
    try:
        position = int(position) if position is not None else 0
    except (TypeError, ValueError):
        position = 0
    return (event_type.decode(errors="replace") if isinstance(event_type, bytes) else None), position, found


def offsets_of(records, peeked: Sequence[Peeked] | None = None) -> Offsets:
    """The last offset and source position per partition; `peeked`: the records' peek(), if taken already."""
    offsets: Offsets = {}
    for record, (_, position, _) in zip(records, peeked or [peek(r.headers) for r in records]):
        tp = (record.topic, record.partition)
        offsets[tp] = (max(record.offset, offsets.get(tp, (-1, 0))[0]), max(position, offsets.get(tp, (0, 0))[1]))
    return offsets


class BatchApplier:
    """Applies batches of records to projections that share one consumer."""

    def __init__(self, projections: Sequence[Projection], pool: ConnectionPool, contracts: Contracts,
                 dead_letter: DeadLetter, follow_registry: bool = True, max_attempts: int = 3,
                 topic_prefix: str = ""):
        self.projections, self.pool, self.contracts = list(projections), pool, contracts
        self.topics = {p.name: {topic_prefix + t for t in p.topics} for p in self.projections}
        self.dead_letter, self.follow_registry, self.max_attempts = dead_letter, follow_registry, max_attempts
        self._serving: dict[str, str] | None = None  # the tables the registry last named, for the next guess

    def prepare(self, records, peeked: Sequence[Peeked] | None = None) -> list[Work]:
        """The work in the records: what each projection must apply; what cannot be read is dead-lettered.
        `peeked`: the records' peek(), when the caller took it already (it costs as much as parsing the rest)."""
        work, seen = [], set()
        for record, wanted, event in self._read(records, peeked or [peek(r.headers) for r in records]):
            if isinstance(event, Exception):  # whatever the reason, a record we cannot read is dead-lettered
                for projection in wanted:
                    self.dead_letter(record, projection.name, event)
                continue
            for projection in (p for p in wanted if p.handles(event.type)):
                if (projection.name, event.id) in seen:
                    continue  # the same event twice in one poll: the first applies, the second is redelivery
                seen.add((projection.name, event.id))
                try:
                    work.append(Work(projection, record, event, list(projection.rows_for(event))))
                except Exception as error:  # a reducer is a pure function: trying again would fail again
                    self.dead_letter(record, projection.name, error)
        return work

    def _read(self, records, peeked) -> list[tuple[Any, list[Projection], "StoredEvent | Exception"]]:
        """The records some projection handles (skipped by their `ce_type` header otherwise), each with those
        projections and its event or the error that kept it from being read. Read all at once where the
        contracts can (people's keys asked for once per tenant); KeyReleaseUnavailable means identity is away,
        not a bad record: it is raised, and the batch read again once the key release answers."""
        handled, parsed = [], []
        for record, (event_type, _, headers) in zip(records, peeked):
            wanted = [p for p in self.projections if event_type is None or p.handles(event_type)]
            if not wanted:
                continue
            try:
                parsed.append(from_record(record.value, headers))
            except Exception as error:
                parsed.append(error)
            handled.append((record, wanted))
        readable = [e for e in parsed if not isinstance(e, Exception)]
        read = iter(self._read_all(readable))
        return [(record, wanted, event if isinstance(event, Exception) else next(read))
                for (record, wanted), event in zip(handled, parsed)]

    def _read_all(self, events: list[StoredEvent]) -> list["StoredEvent | Exception"]:
        if hasattr(self.contracts, "read_all"):
            return self.contracts.read_all(events)
        read = []
        for event in events:
            try:
                read.append(self.contracts.read(event))
            except KeyReleaseUnavailable:
                raise
            except Exception as error:
                read.append(error)
        return read

    def apply(self, work: list[Work], offsets: Offsets) -> Outcome:
        """Apply the work and save the offsets in one transaction (replayed event by event if it fails)."""
        with self.pool.connection() as conn:
            for guess in ([True] if self._serving is not None else []) + [False]:
                try:
                    with pipelined_transaction(conn):
                        return self._quickly(conn, work, offsets, guess)
                except psycopg.OperationalError:
                    raise
                except Exception as error:  # a wrong guess or a failing statement: without guessing, then one by one
                    failed = error
            log.warning("batch of %d events failed (%s); applying them one by one", len(work), failed)
            with conn.transaction():
                return self._carefully(conn, work, offsets)

    def save_offsets(self, offsets: Offsets) -> None:
        """Record how far the projections have read when nothing needed applying."""
        with self.pool.connection() as conn, pipelined_transaction(conn):
            conn.execute(_REPLAYABLE)
            self._save_offsets(conn, offsets)

    def _quickly(self, conn, work: list[Work], offsets: Offsets, guess: bool) -> Outcome:
        """The batch in sets. Guessing, nothing is read back until every statement is sent: the tables are
        the ones the registry named last and every event counts as new; the answers, read before the commit,
        must say the same, or _WrongGuess rolls the batch back. Safe because the registry's share lock is
        taken by the first statement, so the answer read holds until the commit."""
        conn.execute(_REPLAYABLE)
        if guess:
            asked, tables = self._ask_tables(conn), dict(self._serving)
            recorded, fresh = self._record_processed(conn, work), {(w.projection.name, w.event.id) for w in work}
        else:
            tables = self._tables_answered(self._ask_tables(conn))
            fresh = self._new_events(self._record_processed(conn, work))
        outcome = Outcome(tables=tables)
        for projection in self.projections:
            mine = [w for w in work if w.projection is projection and (projection.name, w.event.id) in fresh]
            if mine:
                execute(conn, tables[projection.name], (row for w in mine for row in w.rows))
                outcome.applied[projection.name] = [w.event for w in mine]
        self._save_offsets(conn, offsets)
        if guess and (self._tables_answered(asked) != tables or self._new_events(recorded) != fresh):
            raise _WrongGuess()
        return outcome

    def _carefully(self, conn, work: list[Work], offsets: Offsets) -> Outcome:
        conn.execute(_REPLAYABLE)
        outcome = Outcome(tables=self._tables(conn))
        for w in work:
            if self._apply_one(conn, w, outcome.tables[w.projection.name]):
                outcome.applied.setdefault(w.projection.name, []).append(w.event)
        self._save_offsets(conn, offsets)
        return outcome

    def _apply_one(self, conn, w: Work, table: str) -> bool:
        """The same rows, for one event alone, in a savepoint; dead-lettered after max_attempts failures."""
        last_error: Exception | None = None
        for _ in range(self.max_attempts):
            try:
                with conn.transaction():
                    if not self._new_events(self._record_processed(conn, [w])):
                        return False
                    execute(conn, table, w.rows)
                return True
            except psycopg.OperationalError:
                raise
            except Exception as error:
                last_error = error
        with tracing.consuming(w.event, w.projection.name):
            log.error("projection %s failed %d times on event %s: %s", w.projection.name, self.max_attempts,
                      w.event.id, last_error)
        self.dead_letter(w.record, w.projection.name, last_error)
        return False

    def _tables(self, conn) -> dict[str, str]:
        return self._tables_answered(self._ask_tables(conn))

    def _ask_tables(self, conn) -> Callable[[], list[str]] | None:
        """Ask which table serves each projection (answered later); the share lock lets a rebuild switch a
        table only between batches. None when the runner writes fixed tables (a rebuild's)."""
        return ask_active_tables(conn, self.projections, "FOR SHARE") if self.follow_registry else None

    def _tables_answered(self, asked) -> dict[str, str]:
        """The tables the registry named (the projections' own where it names none), kept for the next guess."""
        tables = asked() if asked is not None else [p.table for p in self.projections]
        self._serving = dict(zip((p.name for p in self.projections), tables))
        return self._serving

    def _record_processed(self, conn, work: list[Work]):
        """Record the work's events as processed (the cursor, answering with those not processed before)."""
        rows = [{"consumer": w.projection.name, "event_id": w.event.id, "topic": w.record.topic,
                 "kafka_partition": w.record.partition, "kafka_offset": w.record.offset} for w in work]
        return conn.cursor(row_factory=tuple_row).execute(_PROCESSED, {"rows": encode(rows)})

    @staticmethod
    def _new_events(recorded) -> set[tuple[str, Any]]:
        return set(recorded.fetchall())  # (consumer, event id) tuples

    def _save_offsets(self, conn, offsets: Offsets) -> None:
        rows = [{"consumer": p.name, "topic": topic, "kafka_partition": partition, "kafka_offset": offset,
                 "source_position": position}
                for p in self.projections for (topic, partition), (offset, position) in offsets.items()
                if topic in self.topics[p.name]]
        if rows:
            conn.execute(_POSITIONS, {"rows": encode(rows)})


def trace_applied(outcome: Outcome, start_ns: int, end_ns: int) -> None:
    """A consumer span per event applied, in the trace of the command that wrote it (only while
    tracing is on): the batch's time, since its events were applied together."""
    if not telemetry.on():
        return
    for name, events in outcome.applied.items():
        for event in events:
            telemetry.record(f"apply {event.type}", event.traceparent, telemetry.SpanKind.CONSUMER, start_ns, end_ns,
                             {"messaging.system": "kafka", "messaging.operation.type": "process",
                              "messaging.consumer.group.name": name, "messaging.message.id": str(event.id),
                              "messaging.batch.message_count": sum(map(len, outcome.applied.values()))})


def log_applied(outcome: Outcome) -> None:
    """One line per batch; a batch of one event carries its trace, so ops follow a request here."""
    events = [e for applied in outcome.applied.values() for e in applied]
    if not events:
        return
    tables = ", ".join(outcome.tables[name] for name in outcome.applied)
    if len({e.id for e in events}) == 1:
        with tracing.consuming(events[0], ", ".join(outcome.applied)):
            log.info("event applied to %s", tables)
        return
    with structlog.contextvars.bound_contextvars(
            consumer=", ".join(outcome.applied), events=len(events),
            tenants=sorted({e.tenant_id for e in events})[:20],
            correlation_ids=sorted({str(e.correlation_id) for e in events})[:100]):
        log.info("%d events applied to %s", len(events), tables)
