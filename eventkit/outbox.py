"""The relay: publishes outbox rows to Kafka in position order, then deletes them.

One relay per service database is active at a time (a PostgreSQL advisory lock elects it), because
two relays publishing side by side could reorder one stream's events.
"""
from __future__ import annotations

import logging
import threading
from collections import Counter
from contextlib import nullcontext
from typing import Callable

import psycopg
from kafka import KafkaProducer
from psycopg.rows import dict_row

from . import db, metrics, telemetry
from .cloudevents import to_record
from .store import OUTBOX_CHANNEL, EventStore

log = logging.getLogger(__name__)
RELAY_LOCK = 0x72656C79

# The oldest outbox rows first, each then read from events by its position: a nested loop by
# construction (a subquery with LIMIT is never merged into the join). Left to choose, the planner took a
# merge join on stale statistics, which reads events in position order from the very first one: 599 rows
# and 0.5 ms for 9 pending events of a table 4,000 long, growing with the table.
_PENDING = """
SELECT o.topic, e.position, e.stream_id, e.stream_type, e.stream_version, e.event_id, e.event_type,
       e.schema_version, e.tenant_id, e.occurred_at, e.actor, e.correlation_id, e.causation_id,
       e.traceparent, NULL AS data, e.data::text AS json
FROM (SELECT position, topic FROM outbox ORDER BY position LIMIT %s) AS o
CROSS JOIN LATERAL (SELECT * FROM events WHERE events.position = o.position LIMIT 1) AS e
ORDER BY o.position
"""


class OutboxRelay:
    """Moves committed events from the outbox to Kafka, at least once and in order per stream."""

    def __init__(self, dsn: str, store: EventStore, producer_factory: Callable[[], KafkaProducer],
                 batch_size: int = 500, idle_wait: float = 1.0, retry_wait: float = 1.0,
                 catch_up_size: int = 5000):
        self.dsn = dsn
        self.store = store
        self.producer_factory = producer_factory
        self.batch_size = batch_size
        # Behind (the last batch was full), the relay takes bigger batches: one flush, one commit and
        # one delete for thousands of rows instead of hundreds.
        self.catch_up_size = catch_up_size
        self._behind = False
        self.idle_wait = idle_wait
        self.retry_wait = retry_wait
        self._producer: KafkaProducer | None = None
        self.published = 0

    def run(self, stop: threading.Event) -> None:
        """Publish until told to stop; survive the broker or the database going away."""
        while not stop.is_set():
            try:
                self._run_as_leader(stop)
            except (psycopg.OperationalError, OSError) as error:
                log.warning("relay lost the database, retrying: %s", error)
                stop.wait(self.retry_wait)
        self._close_producer()

    def _run_as_leader(self, stop: threading.Event) -> None:
        with psycopg.connect(self.dsn, row_factory=dict_row, autocommit=True) as lock_conn, \
                psycopg.connect(self.dsn, row_factory=dict_row) as conn:
            while not lock_conn.execute("SELECT pg_try_advisory_lock(%s) AS ok", (RELAY_LOCK,)).fetchone()["ok"]:
                if stop.wait(self.idle_wait):
                    return
            lock_conn.execute(f"LISTEN {OUTBOX_CHANNEL}")
            # The relay only deletes rows Kafka has; a delete lost in a server crash publishes them
            # again, which consumers recognise by event id: no need to wait for the WAL flush.
            conn.execute("SET synchronous_commit = off")
            conn.commit()
            while not stop.is_set():
                db.forget_notifies(lock_conn)  # each committed event sent one; the next batch has them all
                if self._publish_batch_safely(conn, stop) == 0:
                    db.wait_for_notify(lock_conn, self.idle_wait)

    def _publish_batch_safely(self, conn: psycopg.Connection, stop: threading.Event) -> int:
        try:
            return self.publish_batch(conn)
        except psycopg.OperationalError:
            raise
        except Exception as error:  # the broker is down or refused: keep the rows, try again later
            conn.rollback()
            log.warning("relay could not publish, will retry: %s", error)
            self._close_producer()
            stop.wait(self.retry_wait)
            return -1

    def publish_batch(self, conn: psycopg.Connection) -> int:
        """Publish one batch of pending events; delete exactly those Kafka acknowledged."""
        limit = self.catch_up_size if self._behind else self.batch_size
        rows = conn.execute(_PENDING, (limit,)).fetchall()
        self._behind = len(rows) == limit
        if not rows:
            conn.rollback()
            return 0
        producer = self._get_producer()
        futures = []
        for row in rows:
            # The stored JSON goes out as PostgreSQL wrote it: no parse and re-serialise per event.
            event = self.store.from_row(row)
            key, value, headers = to_record(event, value=row["json"].encode())
            # A span of the command's trace, the record handed to Kafka; without tracing, no span's ids and
            # attributes are made per event for nothing.
            handing = (telemetry.span(f"publish {event.type}", event.traceparent, telemetry.SpanKind.PRODUCER,
                                      {"messaging.system": "kafka", "messaging.destination.name": row["topic"],
                                       "messaging.message.id": str(event.id)})
                       if telemetry.on() else nullcontext())
            with handing:
                futures.append((row["position"], row["topic"], producer.send(row["topic"], key=key, value=value,
                                                                             headers=headers)))
        producer.flush(timeout=30)
        acked, per_topic, first_error = [], Counter(), None
        for position, topic, future in futures:
            try:
                future.get(timeout=0)
                acked.append(position)
                per_topic[topic] += 1
            except Exception as error:
                first_error = first_error or error
        if acked:
            conn.execute("DELETE FROM outbox WHERE position = ANY(%s)", (acked,))
        conn.commit()
        for topic, count in per_topic.items():
            metrics.EVENTS_PUBLISHED.labels(topic).inc(count)
        self.published += len(acked)
        if first_error:
            raise first_error
        return len(acked)

    def _get_producer(self) -> KafkaProducer:
        if self._producer is None:
            self._producer = self.producer_factory()
        return self._producer

    def _close_producer(self) -> None:
        if self._producer is not None:
            try:
                self._producer.close(timeout=1)
            except Exception:  # closing a producer whose broker is gone may itself fail
                pass
            self._producer = None
