"""`events tail` (follow topics live) and `events history` (one customer's or user's events)."""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterator

from kafka import KafkaConsumer, TopicPartition

from .records import Filters, Record, in_time_order
from .settings import Settings

Emit = Callable[[Record], None]


def _reader(settings: Settings, topics: list[str]) -> tuple[KafkaConsumer, list[TopicPartition]]:
    # No group: an operator's reader must never take partitions from a service's consumer group.
    consumer = KafkaConsumer(bootstrap_servers=settings.bootstrap, enable_auto_commit=False, group_id=None,
                             client_id="portico-ops", consumer_timeout_ms=1000)
    partitions = [TopicPartition(t, p) for t in topics for p in sorted(consumer.partitions_for_topic(t) or ())]
    missing = [t for t in topics if not any(tp.topic == t for tp in partitions)]
    if missing:
        consumer.close()
        raise SystemExit(f"no such topic: {', '.join(missing)} (is PORTICO_TOPIC_PREFIX right?)")
    consumer.assign(partitions)
    return consumer, partitions


def tail(settings: Settings, topics: list[str], filters: Filters, emit: Emit, from_beginning: bool = False,
         max_events: int | None = None, timeout: float | None = None,
         on_ready: Callable[[], None] = lambda: None, stop: threading.Event | None = None) -> int:
    """Print matching events as they arrive until stopped, `max_events` printed or `timeout` passed."""
    consumer, partitions = _reader(settings, topics)
    try:
        if from_beginning:
            consumer.seek_to_beginning(*partitions)
        else:
            consumer.seek_to_end(*partitions)
        for tp in partitions:
            consumer.position(tp)  # resolve now: an event appended after on_ready() is never missed
        on_ready()
        shown, deadline = 0, (time.monotonic() + timeout) if timeout else None
        while not (stop and stop.is_set()) and not (deadline and time.monotonic() > deadline):
            for batch in consumer.poll(timeout_ms=200).values():
                for raw in batch:
                    record = Record.of(raw)
                    if filters.match(record):
                        emit(record)
                        shown += 1
                        if max_events and shown >= max_events:
                            return shown
        return shown
    finally:
        consumer.close()


def history(settings: Settings, filters: Filters) -> list[Record]:
    """Every matching event on every service's topic up to now, oldest first."""
    return in_time_order(r for r in _read_to_end(settings, settings.event_topics()) if filters.match(r))


def _read_to_end(settings: Settings, topics: list[str]) -> Iterator[Record]:
    consumer, partitions = _reader(settings, topics)
    try:
        ends = consumer.end_offsets(partitions)
        consumer.seek_to_beginning(*partitions)
        remaining = {tp for tp in partitions if ends[tp] > consumer.position(tp)}
        while remaining:
            for tp, batch in consumer.poll(timeout_ms=500).items():
                for raw in batch:
                    if raw.offset < ends[tp]:
                        yield Record.of(raw)
                if consumer.position(tp) >= ends[tp]:
                    remaining.discard(tp)
    finally:
        consumer.close()


def read_topic(settings: Settings, topic: str) -> list[Record]:
    """Everything on one topic up to now (the dead-letter topic, for instance)."""
    return list(_read_to_end(settings, [topic]))
