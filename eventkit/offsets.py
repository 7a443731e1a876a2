"""Where each partition of a topic begins and ends (its head), for lag and rebuild progress."""
from __future__ import annotations

from typing import Callable, Iterable

from kafka import KafkaConsumer, TopicPartition
from kafka.errors import KafkaTimeoutError
from tenacity import retry, retry_if_exception_type, stop_after_attempt, wait_fixed

Heads = dict[tuple[str, int], tuple[int, int]]  # (topic, partition) -> (first offset, next offset)

ASK_TIMEOUT_MS = 10_000  # one client's try; a client that missed a leader change can wait out its whole timeout


def _client(bootstrap: str) -> KafkaConsumer:
    return KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, client_id="portico-ops")


def topic_heads(bootstrap: str, topics: Iterable[str], connect: Callable[[str], KafkaConsumer] = _client) -> Heads:
    """First and next offset of every partition of the topics (next = the offset the head gets)."""
    return _asked(bootstrap, list(topics), connect)  # a list: a second try reads the topics again


# Asked again with a fresh client: after a broker's restart, kafka-python's offset lookup now and then waits
# out its timeout on a leader it no longer has (seen once after the cluster fault suite), where a new client,
# reading the metadata afresh, answers at once.
@retry(retry=retry_if_exception_type(KafkaTimeoutError), stop=stop_after_attempt(3), wait=wait_fixed(1), reraise=True)
def _asked(bootstrap: str, topics: list[str], connect: Callable[[str], KafkaConsumer]) -> Heads:
    consumer = connect(bootstrap)
    try:
        partitions = [TopicPartition(topic, p) for topic in topics
                      for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not partitions:
            return {}
        first = consumer.beginning_offsets(partitions, timeout_ms=ASK_TIMEOUT_MS)
        last = consumer.end_offsets(partitions, timeout_ms=ASK_TIMEOUT_MS)
        return {(tp.topic, tp.partition): (first[tp], last[tp]) for tp in partitions}
    finally:
        consumer.close()


def stored_positions(conn, consumer: str) -> dict[tuple[str, int], int]:
    """The last offset a projection applied per partition, from its consumer_positions rows."""
    rows = conn.execute("SELECT topic, kafka_partition, kafka_offset FROM consumer_positions WHERE consumer = %s",
                        (consumer,)).fetchall()
    return {(r["topic"], r["kafka_partition"]): r["kafka_offset"] for r in rows}
