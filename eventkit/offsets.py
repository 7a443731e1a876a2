"""Where each partition of a topic begins and ends (its head), for lag and rebuild progress."""
from __future__ import annotations

from typing import Iterable

from kafka import KafkaConsumer, TopicPartition

Heads = dict[tuple[str, int], tuple[int, int]]  # (topic, partition) -> (first offset, next offset)


def topic_heads(bootstrap: str, topics: Iterable[str]) -> Heads:
    """First and next offset of every partition of the topics (next = the offset the head gets)."""
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, client_id="portico-ops")
    try:
        partitions = [TopicPartition(topic, p) for topic in topics
                      for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return {}
        first, last = consumer.beginning_offsets(partitions), consumer.end_offsets(partitions)
        return {(tp.topic, tp.partition): (first[tp], last[tp]) for tp in partitions}
    finally:
        consumer.close()


def stored_positions(conn, consumer: str) -> dict[tuple[str, int], int]:
    """The last offset a projection applied per partition, from its consumer_positions rows."""
    rows = conn.execute("SELECT topic, kafka_partition, kafka_offset FROM consumer_positions WHERE consumer = %s",
                        (consumer,)).fetchall()
    return {(r["topic"], r["kafka_partition"]): r["kafka_offset"] for r in rows}
