"""The consumer runner: feeds a service's projections of some topics from Kafka, effectively once.

A poll's records are applied to every projection that handles them in one PostgreSQL transaction
that also records the processed event ids and each projection's offset per partition
(eventkit/batch.py). Offsets are read back from that table when partitions are assigned, so the
database, not the broker, says where each projection stands, and a redelivered event (the same id at
another offset) is recognised and skipped.
"""
from __future__ import annotations

import logging
import threading
import time
from typing import Callable, Sequence

import psycopg
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.consumer.subscription_state import ConsumerRebalanceListener
from kafka.errors import KafkaError
from psycopg_pool import ConnectionPool

from . import metrics
from .batch import BatchApplier, Contracts, Offsets, log_applied, offsets_of, peek, trace_applied
from .projection import Projection

log = logging.getLogger(__name__)
DEAD_LETTER_TOPIC = "portico.deadletter"
OFFSETS_EVERY = 1.0  # seconds: how long offsets of records nobody handles may wait for a batch to carry them
KAFKA_COMMIT_EVERY = 1.0  # seconds: how stale Kafka's copy of the offsets (the lag report's) may be
LAG_EVERY = 1.0  # seconds between two updates of the lag gauges (each asks the client for every partition)
# From this many records a poll, the runner reads and prepares a batch while the one before it is written:
# a rebuild of 50,000 events spent 1.4 of its 5.9 s waiting for PostgreSQL to apply batches of 500. Smaller
# polls (a consumer that keeps up) are applied at once, without handing them to another thread.
OVERLAP_FROM = 100

__all__ = ["ConsumerRunner", "Contracts", "DEAD_LETTER_TOPIC", "StalledJoin"]


class StalledJoin(Exception):
    """The consumer has been out of its group for too long: it is replaced by a fresh one."""


class ConsumerRunner:
    """Runs projections of the same topics: poll, apply the batch in one transaction, commit offsets."""

    def __init__(self, projections: Projection | Sequence[Projection], pool: ConnectionPool, contracts: Contracts,
                 consumer_factory: Callable[[str], KafkaConsumer],
                 producer_factory: Callable[[], KafkaProducer], max_attempts: int = 3,
                 topic_prefix: str = "", follow_registry: bool = True, join_timeout: float = 15.0,
                 group: str | None = None, overlap_from: int = OVERLAP_FROM):
        self.projections = [projections] if isinstance(projections, Projection) else list(projections)
        self.projection = self.projections[0]
        self.pool = pool
        self.consumer_factory = consumer_factory
        self.producer_factory = producer_factory
        # The prefix names an environment apart (a test run, a staging stack): topics and groups alike.
        self.group = topic_prefix + (group or self.projection.name)
        self.topics = sorted({topic_prefix + t for p in self.projections for t in p.topics})
        self.dead_letter_topic = topic_prefix + DEAD_LETTER_TOPIC
        # A live runner writes to whichever table the registry says serves; a rebuild writes its own.
        self.batches = BatchApplier(self.projections, pool, contracts, self._dead_letter, follow_registry,
                                    max_attempts, topic_prefix)
        # kafka-python 3.0 can lose its group coordinator and spin looking for it for good (seen after
        # every broker restart in the fault suite): out of the group this long, the runner closes the
        # consumer and starts a new one. A rebalance of members that poll every 200 ms takes well under
        # a second, and a broker's loss in a cluster is noticed in 9 s (KRaft's broker session), so 15 s
        # replaces only a stalled consumer, half a minute sooner after a restart than the former 30 s.
        self.join_timeout = join_timeout
        self.overlap_from = overlap_from  # records in a poll from which it is read while the last one is written
        self._behind = Behind(f"{self.group} apply")
        self.assigned = threading.Event()  # set while the runner is a member of its group with partitions
        self.assignment_error: Exception | None = None  # the database failed us while partitions were assigned
        self.applied = 0
        self.dead_lettered = 0
        self.last_outage: Exception | None = None  # what the runner last started over after, for a rebuild to report
        self._dead_letters: KafkaProducer | None = None
        self._pending: Offsets = {}
        self._saved_at = 0.0
        self._dead_lettered_since_saved = False  # a dead-lettered record's offset is saved at once

    @property
    def max_attempts(self) -> int:
        return self.batches.max_attempts

    @max_attempts.setter
    def max_attempts(self, value: int) -> None:
        self.batches.max_attempts = value

    def run(self, stop: threading.Event, poll_ms: int = 200,
            partitions: Sequence[tuple[str, int]] | None = None) -> None:
        """Consume until told to stop; start over from the stored offsets after an outage.

        `partitions` (topic, partition): read those alone, assigned rather than shared out by the group (a
        rebuild's member, eventkit/rebuild_members.py); offsets are still committed under the group's name."""
        while not stop.is_set():
            try:
                self._consume(stop, poll_ms, partitions)
            except StalledJoin as error:
                log.warning("consumer %s starting a new consumer: %s", self.group, error)
            except (psycopg.OperationalError, KafkaError, OSError) as error:
                self.last_outage = error
                log.warning("consumer %s restarting after: %s", self.group, error)
                stop.wait(1.0)
        if self._dead_letters is not None:
            self._dead_letters.close(timeout=5)

    def _consume(self, stop: threading.Event, poll_ms: int, partitions: Sequence[tuple[str, int]] | None) -> None:
        consumer = self.consumer_factory(self.group)
        behind = self._behind = Behind(f"{self.group} apply")
        self._pending = {}  # offsets not saved belong to the consumer that read them: a new one reads again
        try:
            if partitions is not None:  # assigned: no group to join, the stored offsets say where to start
                assigned = [TopicPartition(topic, partition) for topic, partition in partitions]
                consumer.assign(assigned)
                _SeekToStoredOffsets(self, consumer).on_partitions_assigned(assigned)
            else:
                # Subscribe, then load the topics' metadata, before joining. A member that joins without the
                # metadata is assigned nothing; one whose metadata arrived before it subscribed keeps an empty
                # snapshot of it, so as the group's leader it takes the next refresh for a change and rejoins,
                # and kafka-python 3.0 can stall in that rejoin (until StalledJoin, in 3 of 5 test sessions).
                consumer.subscribe(self.topics, listener=_SeekToStoredOffsets(self, consumer))
                for topic in self.topics:
                    consumer.partitions_for_topic(topic)
            out_since, committed_at, uncommitted, lag_at = time.monotonic(), 0.0, False, 0.0
            while not stop.is_set():
                batches = consumer.poll(timeout_ms=poll_ms)
                if self.assignment_error is not None:
                    error, self.assignment_error = self.assignment_error, None
                    raise error
                records = [r for part in batches.values() for r in part]
                if len(records) < self.overlap_from and not behind.busy:
                    uncommitted = self.apply_records(records) or uncommitted
                else:  # catching up: this batch is read while the one before is written
                    prepared = self.prepare_records(records)
                    uncommitted = behind.finish() or uncommitted
                    if prepared is not None:
                        behind.start(self.apply_prepared, *prepared)
                if uncommitted and time.monotonic() - committed_at > KAFKA_COMMIT_EVERY:
                    # The database holds the offsets that count (see _SeekToStoredOffsets); Kafka's copy
                    # only feeds the lag report, so it need not hold up the next poll, nor cost the broker
                    # a request for every small batch. An idle poll commits what the last batches left
                    # (the lag report is at most a second and a poll behind); a stopping runner commits
                    # at once (_keep_place).
                    consumer.commit_async()
                    committed_at, uncommitted = time.monotonic(), False
                if time.monotonic() - lag_at > LAG_EVERY:  # a gauge scraped every few seconds; not every poll
                    self._report_lag(consumer)
                    lag_at = time.monotonic()
                if partitions is not None or _in_group(consumer):
                    out_since = time.monotonic()
                elif time.monotonic() - out_since > self.join_timeout:
                    raise StalledJoin(f"not a member of group {self.group} for {self.join_timeout:.0f} s")
            behind.finish()
            self._keep_place(consumer)
        finally:
            behind.close()
            self.assigned.clear()
            consumer.close(autocommit=False)

    def _keep_place(self, consumer: KafkaConsumer) -> None:
        """A runner told to stop saves the offsets it was still holding and commits Kafka's copy at once, so a
        stopped worker's lag is exact in `ops lag` and its successor reads nothing twice for nothing."""
        self.apply_records([])
        try:
            consumer.commit()
        except KafkaError as error:  # a rebalance under way: the database's offsets are the ones that count
            log.warning("consumer %s stopped without committing to Kafka: %s", self.group, error)

    def apply_records(self, records) -> bool:
        """Apply a batch of Kafka records in one transaction; return whether offsets were saved.

        A batch with nothing to apply opens no transaction: its offsets wait (at most OFFSETS_EVERY,
        or until the consumer is idle) for the next batch that has work to carry them. Losing them in
        a crash only means reading records again that nobody handles.
        """
        prepared = self.prepare_records(records)
        return prepared is not None and self.apply_prepared(*prepared)

    def prepare_records(self, records) -> tuple[list, Offsets] | None:
        """The batch's work and the offsets it carries, or None when nothing needs saving yet (no database
        call: the part of a batch that can go on while the previous batch is applied)."""
        peeked = [peek(r.headers) for r in records]
        for tp, (offset, position) in offsets_of(records, peeked).items():
            before = self._pending.get(tp, (-1, 0))
            self._pending[tp] = (max(offset, before[0]), max(position, before[1]))
        work = self.batches.prepare(records, peeked)
        due = not records or time.monotonic() - self._saved_at > OFFSETS_EVERY
        if not self._pending or not (work or self._dead_lettered_since_saved or due):
            return None
        offsets, self._pending, self._dead_lettered_since_saved = self._pending, {}, False
        return work, offsets

    def apply_prepared(self, work: list, offsets: Offsets) -> bool:
        """Apply prepared work with the offsets it carries, in one transaction; True (offsets saved)."""
        if work:
            started = time.time_ns()
            outcome = self.batches.apply(work, offsets)
            trace_applied(outcome, started, time.time_ns())
            applied = sum(len(events) for events in outcome.applied.values())
            self.applied += applied
            for name, events in outcome.applied.items():
                metrics.EVENTS_APPLIED.labels(name).inc(len(events))
            log_applied(outcome)
        else:
            self.batches.save_offsets(offsets)
        self._saved_at = time.monotonic()
        for (topic, partition), (offset, _) in offsets.items():
            for projection in self.projections:
                metrics.PROJECTION_POSITION.labels(projection.name, topic, str(partition)).set(offset)
        if self._dead_letters is not None:
            self._dead_letters.flush(timeout=30)
        return True

    def _dead_letter(self, record, consumer: str, error: BaseException | None) -> None:
        if self._dead_letters is None:
            self._dead_letters = self.producer_factory()
        headers = list(record.headers or []) + [
            ("dlq_consumer", consumer.encode()),
            ("dlq_topic", record.topic.encode()),
            ("dlq_partition", str(record.partition).encode()),
            ("dlq_offset", str(record.offset).encode()),
            ("dlq_error", f"{type(error).__name__}: {error}"[:2000].encode()),
        ]
        self._dead_letters.send(self.dead_letter_topic, key=record.key, value=record.value, headers=headers)
        self.dead_lettered += 1
        self._dead_lettered_since_saved = True
        metrics.DEAD_LETTERS.labels(consumer, record.topic).inc()
        log.warning("dead-lettered %s[%s]@%s for %s: %s", record.topic, record.partition, record.offset,
                    consumer, error)

    def _report_lag(self, consumer: KafkaConsumer) -> None:
        for tp in consumer.assignment():
            head = consumer.highwater(tp)
            if head is not None:
                lag = max(head - consumer.position(tp), 0)
                for projection in self.projections:
                    metrics.CONSUMER_LAG.labels(projection.name, tp.topic, str(tp.partition)).set(lag)

    def stored_offsets(self) -> dict[tuple[str, int], int]:
        """Where to resume each partition: the least advanced projection of its topic (-1: from the start)."""
        names = [p.name for p in self.projections]
        with self.pool.connection() as conn:
            rows = conn.execute(
                "SELECT consumer, topic, kafka_partition, kafka_offset FROM consumer_positions"
                " WHERE consumer = ANY(%s)", (names,)).fetchall()
        stored: dict[tuple[str, int], dict[str, int]] = {}
        for r in rows:
            stored.setdefault((r["topic"], r["kafka_partition"]), {})[r["consumer"]] = r["kafka_offset"]
        readers = {t: [n for n, topics in self.batches.topics.items() if t in topics] for t in self.topics}
        return {tp: min(by.get(name, -1) for name in readers.get(tp[0], names)) for tp, by in stored.items()}


def _in_group(consumer: KafkaConsumer) -> bool:
    """Whether the consumer is a stable member of its group (with or without partitions).

    A member with no partitions is legitimate (more replicas than partitions); a member that cannot
    find its coordinator or finish joining is not. kafka-python has no public call for this.
    """
    coordinator = getattr(consumer, "_coordinator", None)
    if coordinator is None or not hasattr(coordinator, "stable"):
        return bool(consumer.assignment())
    return coordinator.stable() and not coordinator.coordinator_unknown()


class Behind:
    """At most one batch being applied in a thread of its own, in the order batches were started."""

    def __init__(self, name: str):
        self.name = name
        self._thread: threading.Thread | None = None
        self._outcome: tuple[bool, BaseException | None] = (False, None)

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def start(self, apply: Callable[..., bool], *args) -> None:
        assert self._thread is None, "one batch at a time: finish() the last first"

        def run():
            try:
                self._outcome = (apply(*args), None)
            except BaseException as error:  # raised again by finish(), in the consumer's thread
                self._outcome = (False, error)
        self._thread = threading.Thread(target=run, name=self.name, daemon=True)
        self._thread.start()

    def wait(self) -> None:
        """Wait for the batch being applied; finish() still says how it went."""
        if self._thread is not None:
            self._thread.join()

    def finish(self) -> bool:
        """Wait for the batch being applied; what it returned, or raise what it raised."""
        if self._thread is None:
            return False
        self._thread.join()
        self._thread = None
        (saved, error), self._outcome = self._outcome, (False, None)
        if error is not None:
            raise error
        return saved

    def close(self) -> None:
        """Wait for a batch still being applied, keeping an error from hiding the one being raised."""
        try:
            self.finish()
        except Exception as error:
            log.warning("%s failed while the consumer stopped: %s", self.name, error)


class _SeekToStoredOffsets(ConsumerRebalanceListener):
    """On assignment, start each partition right after the offset the database last recorded."""

    def __init__(self, runner: ConsumerRunner, consumer: KafkaConsumer):
        self.runner, self.consumer = runner, consumer

    def on_partitions_revoked(self, revoked):
        self.runner.assigned.clear()
        # The batch being written is this member's to finish before another takes its partitions. An error
        # waits for finish() in the consumer's loop: kafka-python would only log one raised here.
        self.runner._behind.wait()

    def on_partitions_assigned(self, assigned):
        try:
            stored = self.runner.stored_offsets()
        except psycopg.OperationalError as error:
            # kafka-python would log this and go on from the broker's offsets; the database is the one
            # that knows, so the runner starts the consumer again once it answers (see _consume).
            self.runner.assignment_error = error
            return
        for tp in assigned:
            if stored.get((tp.topic, tp.partition), -1) >= 0:
                self.consumer.seek(tp, stored[(tp.topic, tp.partition)] + 1)
            else:
                self.consumer.seek_to_beginning(tp)
        if assigned:
            self.runner.assigned.set()
