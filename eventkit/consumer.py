"""The consumer runner: feeds one projection from Kafka, effectively once.

A poll's records are applied in one PostgreSQL transaction that also records each processed event
id and each partition's offset. Offsets are read back from that table when partitions are assigned,
so the database, not the broker, says where a projection stands, and a redelivered event (the same
id at another offset) is recognised and skipped.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Protocol

import psycopg
from kafka import KafkaConsumer, KafkaProducer
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import KafkaError
from psycopg_pool import ConnectionPool

from . import metrics, tracing
from .cloudevents import from_record
from .envelope import StoredEvent
from .projection import Projection
from .projection_tables import serving

log = logging.getLogger(__name__)
DEAD_LETTER_TOPIC = "portico.deadletter"


class StalledJoin(Exception):
    """The consumer has been out of its group for too long: it is replaced by a fresh one."""


class Contracts(Protocol):
    def read(self, event: StoredEvent) -> StoredEvent:
        """Validate an incoming event (upcasting old versions); raise EventKitError if invalid."""


class ConsumerRunner:
    """Runs one projection: poll, apply the batch in one transaction, then commit offsets."""

    def __init__(self, projection: Projection, pool: ConnectionPool, contracts: Contracts,
                 consumer_factory: Callable[[str], KafkaConsumer],
                 producer_factory: Callable[[], KafkaProducer], max_attempts: int = 3,
                 topic_prefix: str = "", follow_registry: bool = True, join_timeout: float = 30.0):
        self.projection = projection
        # A live runner writes to whichever table the registry says serves; a rebuild writes its own.
        self.follow_registry = follow_registry
        self.pool = pool
        self.contracts = contracts
        self.consumer_factory = consumer_factory
        self.producer_factory = producer_factory
        self.max_attempts = max_attempts
        # The prefix names an environment apart (a test run, a staging stack): topics and groups alike.
        self.group = topic_prefix + projection.name
        self.topics = [topic_prefix + t for t in projection.topics]
        self.dead_letter_topic = topic_prefix + DEAD_LETTER_TOPIC
        # kafka-python 3.0 can lose its group coordinator and spin looking for it for good (seen
        # after a broker restart and, rarely, on a first join): out of the group this long, the
        # runner closes the consumer and starts a new one.
        self.join_timeout = join_timeout
        self.assigned = threading.Event()  # set while the runner is a member of its group with partitions
        self.assignment_error: Exception | None = None  # the database failed us while partitions were assigned
        self.applied = 0
        self.dead_lettered = 0
        self._dead_letters: KafkaProducer | None = None

    def run(self, stop: threading.Event, poll_ms: int = 200) -> None:
        """Consume until told to stop; start over from the stored offsets after an outage."""
        while not stop.is_set():
            try:
                self._consume(stop, poll_ms)
            except StalledJoin as error:
                log.warning("consumer %s starting a new consumer: %s", self.projection.name, error)
            except (psycopg.OperationalError, KafkaError, OSError) as error:
                log.warning("consumer %s restarting after: %s", self.projection.name, error)
                stop.wait(1.0)
        if self._dead_letters is not None:
            self._dead_letters.close(timeout=5)

    def _consume(self, stop: threading.Event, poll_ms: int) -> None:
        consumer = self.consumer_factory(self.group)
        try:
            # Load the topics' metadata before joining: a member that joins without it is assigned
            # nothing, and kafka-python 3.0 can stall in the rejoin that follows.
            for topic in self.topics:
                consumer.partitions_for_topic(topic)
            consumer.subscribe(self.topics, listener=_SeekToStoredOffsets(self, consumer))
            out_since = time.monotonic()
            while not stop.is_set():
                batches = consumer.poll(timeout_ms=poll_ms)
                if self.assignment_error is not None:
                    error, self.assignment_error = self.assignment_error, None
                    raise error
                records = [r for part in batches.values() for r in part]
                if records:
                    self.apply_records(records)
                    consumer.commit()
                self._report_lag(consumer)
                if _in_group(consumer):
                    out_since = time.monotonic()
                elif time.monotonic() - out_since > self.join_timeout:
                    raise StalledJoin(f"not a member of group {self.group} for {self.join_timeout:.0f} s")
        finally:
            self.assigned.clear()
            consumer.close(autocommit=False)

    def apply_records(self, records) -> None:
        """Apply a batch of Kafka records in one transaction, dead-lettering the ones that fail.

        The quick pass applies the whole batch without a savepoint per event (two round trips
        fewer per event); only when something in it fails is the batch replayed event by event,
        each in a savepoint, so that just the failing event is dead-lettered.
        """
        try:
            self._apply_batch(records, careful=False)
        except psycopg.OperationalError:
            raise
        except Exception:
            self._apply_batch(records, careful=True)

    def _apply_batch(self, records, careful: bool) -> None:
        offsets: dict[tuple[str, int], tuple[int, int]] = {}
        self._applied_in_batch = 0  # counted once the batch commits: a replayed quick pass counts once
        with self.pool.connection() as conn, conn.transaction():
            # The share lock lets a rebuild switch tables between two batches, never inside one.
            projection = serving(conn, self.projection, "FOR SHARE") if self.follow_registry else self.projection
            for record in records:
                if careful:
                    position = self._apply_record(conn, projection, record)
                else:
                    position = self._apply_quickly(conn, projection, record)
                offsets[(record.topic, record.partition)] = (record.offset, position)
            for (topic, partition), (offset, position) in offsets.items():
                _save_offset(conn, self.projection.name, topic, partition, offset, position)
        self.applied += self._applied_in_batch
        metrics.EVENTS_APPLIED.labels(self.projection.name).inc(self._applied_in_batch)
        for (topic, partition), (offset, _) in offsets.items():
            metrics.PROJECTION_POSITION.labels(self.projection.name, topic, str(partition)).set(offset)
        if self._dead_letters is not None:
            self._dead_letters.flush(timeout=30)

    def _apply_quickly(self, conn: psycopg.Connection, projection: Projection, record) -> int:
        """Apply one record with no savepoint; any failure aborts the quick pass (see apply_records)."""
        event = from_record(record.value, record.headers)
        if not self.projection.handles(event.type):
            return event.position
        event = self.contracts.read(event)
        with tracing.consuming(event, self.projection.name):
            self._apply_event(conn, projection, event, record)
        return event.position

    def _apply_record(self, conn: psycopg.Connection, projection: Projection, record) -> int:
        try:
            event = from_record(record.value, record.headers)
            if not self.projection.handles(event.type):
                return event.position
            event = self.contracts.read(event)
        except psycopg.OperationalError:
            raise
        except Exception as error:  # any record we cannot read is dead-lettered, whatever the reason (issue 14)
            self._dead_letter(record, error)
            return 0
        with tracing.consuming(event, self.projection.name):
            return self._apply_with_retries(conn, projection, event, record)

    def _apply_with_retries(self, conn: psycopg.Connection, projection: Projection, event: StoredEvent,
                            record) -> int:
        last_error: Exception | None = None
        for _ in range(self.max_attempts):
            try:
                with conn.transaction():  # a savepoint: a failing event leaves the batch intact
                    self._apply_event(conn, projection, event, record)
                return event.position
            except psycopg.OperationalError:
                raise
            except Exception as error:
                last_error = error
        log.error("projection %s failed %d times on event %s: %s", self.projection.name,
                  self.max_attempts, event.id, last_error)
        self._dead_letter(record, last_error)
        return event.position

    def _apply_event(self, conn: psycopg.Connection, projection: Projection, event: StoredEvent, record) -> None:
        first_time = conn.execute(
            "INSERT INTO processed_events (consumer, event_id, topic, kafka_partition, kafka_offset)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING RETURNING event_id",
            (self.projection.name, event.id, record.topic, record.partition, record.offset),
        ).fetchone()
        if not first_time:
            return
        for statement in projection.statements_for(event):
            conn.execute(statement.sql, statement.params)
        self._applied_in_batch += 1
        log.info("event applied to %s", projection.table)  # carries the trace: ops follow a request here

    def _dead_letter(self, record, error: Exception | None) -> None:
        if self._dead_letters is None:
            self._dead_letters = self.producer_factory()
        headers = list(record.headers or []) + [
            ("dlq_consumer", self.projection.name.encode()),
            ("dlq_topic", record.topic.encode()),
            ("dlq_partition", str(record.partition).encode()),
            ("dlq_offset", str(record.offset).encode()),
            ("dlq_error", f"{type(error).__name__}: {error}"[:2000].encode()),
        ]
        self._dead_letters.send(self.dead_letter_topic, key=record.key, value=record.value, headers=headers)
        self.dead_lettered += 1
        metrics.DEAD_LETTERS.labels(self.projection.name, record.topic).inc()
        log.warning("dead-lettered %s[%s]@%s for %s: %s", record.topic, record.partition, record.offset,
                    self.projection.name, error)

    def _report_lag(self, consumer: KafkaConsumer) -> None:
        for tp in consumer.assignment():
            head = consumer.highwater(tp)
            if head is not None:
                lag = max(head - consumer.position(tp), 0)
                metrics.CONSUMER_LAG.labels(self.projection.name, tp.topic, str(tp.partition)).set(lag)

    def stored_offsets(self) -> dict[tuple[str, int], int]:
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT topic, kafka_partition, kafka_offset FROM consumer_positions WHERE consumer = %s",
                (self.projection.name,),
            ).fetchall()
        return {(r["topic"], r["kafka_partition"]): r["kafka_offset"] for r in rows}


def _in_group(consumer: KafkaConsumer) -> bool:
    """Whether the consumer is a stable member of its group (with or without partitions).

    A member with no partitions is legitimate (more replicas than partitions); a member that cannot
    find its coordinator or finish joining is not. kafka-python has no public call for this.
    """
    coordinator = getattr(consumer, "_coordinator", None)
    if coordinator is None or not hasattr(coordinator, "stable"):
        return bool(consumer.assignment())
    return coordinator.stable() and not coordinator.coordinator_unknown()


def _save_offset(conn, consumer: str, topic: str, partition: int, offset: int, source_position: int) -> None:
    conn.execute(
        "INSERT INTO consumer_positions (consumer, topic, kafka_partition, kafka_offset, source_position)"
        " VALUES (%s, %s, %s, %s, %s)"
        " ON CONFLICT (consumer, topic, kafka_partition) DO UPDATE SET"
        "  kafka_offset = GREATEST(consumer_positions.kafka_offset, EXCLUDED.kafka_offset),"
        "  source_position = GREATEST(consumer_positions.source_position, EXCLUDED.source_position),"
        "  updated_at = now()",
        (consumer, topic, partition, offset, source_position),
    )


class _SeekToStoredOffsets(ConsumerRebalanceListener):
    """On assignment, start each partition right after the offset the database last recorded."""

    def __init__(self, runner: ConsumerRunner, consumer: KafkaConsumer):
        self.runner, self.consumer = runner, consumer

    def on_partitions_revoked(self, revoked):
        self.runner.assigned.clear()

    def on_partitions_assigned(self, assigned):
        try:
            stored = self.runner.stored_offsets()
        except psycopg.OperationalError as error:
            # kafka-python would log this and go on from the broker's offsets; the database is the one
            # that knows, so the runner starts the consumer again once it answers (see _consume).
            self.runner.assignment_error = error
            return
        for tp in assigned:
            if (tp.topic, tp.partition) in stored:
                self.consumer.seek(tp, stored[(tp.topic, tp.partition)] + 1)
            else:
                self.consumer.seek_to_beginning(tp)
        if assigned:
            self.runner.assigned.set()

