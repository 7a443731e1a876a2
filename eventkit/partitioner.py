"""Which partition a record goes to: the Java client's rule (murmur2 of the key), computed in C.

Every client that writes a stream's events must pick the same partition for its key, or one stream's
events would be read out of order. Kafka's clients agree on murmur2 with seed 0x9747b28c, the positive
31 bits modulo the topic's partition count. kafka-python's DefaultPartitioner implements it in pure
Python, 9 µs a key of a stream id: 4% of identity's worker CPU while its relay published an import
(py-spy). `murmurhash2` is the same hash in C, 0.24 µs; tests/unit/test_partitioner.py checks it against
kafka-python's and the Java client's own test vector.
"""
from __future__ import annotations

import random

from kafka.partitioner.abc import Partitioner
from murmurhash2 import murmurhash2

SEED = 0x9747B28C  # org.apache.kafka.common.utils.Utils.murmur2


def partition_of(key: bytes, partitions: int) -> int:
    """The partition (0 .. partitions - 1) the Java client picks for a key."""
    return (murmurhash2(key, SEED) & 0x7FFFFFFF) % partitions


class JavaCompatiblePartitioner(Partitioner):
    """kafka-python's DefaultPartitioner with the hash in C: a key's partition of its topic, or, for a record
    without a key, a random one of the partitions with a leader (of all, if none has)."""

    def partition(self, topic, key, serialized_key, value, serialized_value, cluster):
        partitions = cluster.partitions_for_topic(topic)
        if not partitions:
            raise ValueError(f"Topic {topic} not found in ClusterMetadata")
        ordered = sorted(partitions)
        if serialized_key is not None:
            return ordered[partition_of(serialized_key, len(ordered))]
        available = list(cluster.available_partitions_for_topic(topic))
        return random.choice(available or ordered)
