"""kafka-python on its own, with Portico's producer settings: the floor a stage that hands records to Kafka
is measured against, and the ceiling it cannot pass (a relay is one producer a service database)."""
from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterator, Sequence

from kafka import KafkaConsumer, TopicPartition

from eventkit.kafka import create_producer


@contextmanager
def from_start(bootstrap: str, topic: str, **config) -> Iterator[tuple[KafkaConsumer, list[TopicPartition]]]:
    """A consumer with no group, assigned every partition of the topic at its first offset, closed after."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, **config)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        yield consumer, partitions
    finally:
        consumer.close()


def read_records(bootstrap: str, topic: str, count: int, timeout: float = 120) -> list:
    """Up to `count` records of the topic from its start, as a consumer gets them (key, value, headers)."""
    with from_start(bootstrap, topic, fetch_max_bytes=50 * 1024 * 1024) as (consumer, partitions):
        ends = consumer.end_offsets(partitions)
        records, deadline = [], time.monotonic() + timeout
        while len(records) < count and any(consumer.position(tp) < ends[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{len(records)} of {count} records of {topic} read after {timeout} s")
            for batch in consumer.poll(timeout_ms=200).values():
                records.extend(batch)
        return records[:count]


def produce_seconds(bootstrap: str, topic: str, records: Sequence) -> float:
    """Producing the records (each record's key, value and headers) straight to the topic, each acknowledged
    (idempotent, acks=all, as the relay's producer)."""
    producer = create_producer(bootstrap, "bench-baseline")
    try:
        started = time.perf_counter()
        for record in records:
            producer.send(topic, key=record.key, value=record.value, headers=record.headers)
        producer.flush(timeout=300)
        return time.perf_counter() - started
    finally:
        producer.close()
