"""Read a topic back from the real broker, raw: every record from its first offsets to the ends it had
when the read began.

A read that stopped after some idle time (`consumer_timeout_ms`) paid that time at every call and still
could stop early on a slow broker; this one knows where the ends are, so it returns as soon as it has
read up to them. A record that arrives after the read began is not waited for: callers that wait for
something to be published ask again, in `eventually`.
"""
from __future__ import annotations

import time

from kafka import KafkaConsumer, TopicPartition


def records(bootstrap: str, topic: str, timeout: float = 30.0) -> list:
    """Every record of the topic up to its ends as of now (none for a topic that does not exist)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, group_id=None)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return []
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        ends, read = consumer.end_offsets(partitions), []
        deadline = time.monotonic() + timeout
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise TimeoutError(f"read {len(read)} records of {topic} in {timeout:.0f} s, not up to {ends}")
            for batch in consumer.poll(timeout_ms=500).values():
                read += [r for r in batch if r.offset < ends[TopicPartition(r.topic, r.partition)]]
        return sorted(read, key=lambda r: (r.partition, r.offset))
    finally:
        consumer.close()
