"""Portico's producers put a key on the partition every Kafka client picks for it."""
import os
import random
from types import SimpleNamespace

import pytest
from kafka.partitioner.default import DefaultPartitioner, murmur2

from eventkit.partitioner import JavaCompatiblePartitioner, SEED, partition_of
from murmurhash2 import murmurhash2


def test_the_hash_is_kafkas_murmur2():
    rng = random.Random(7)
    for _ in range(5000):
        key = os.urandom(rng.randint(0, 70))
        assert murmurhash2(key, SEED) == murmur2(key), key


def test_the_java_clients_own_vector():
    # org.apache.kafka.common.utils.UtilsTest: murmur2("21") == -973932308 as a Java int
    assert murmurhash2(b"21", SEED) - 2**32 == -973932308


class Cluster(SimpleNamespace):
    def partitions_for_topic(self, topic):
        return self.partitions.get(topic)

    def available_partitions_for_topic(self, topic):
        return self.available

    def topics(self):
        return set(self.partitions)


def test_a_key_goes_where_kafka_pythons_default_partitioner_puts_it():
    cluster = Cluster(partitions={"t": {0, 1, 2, 3, 4, 5}}, available={0, 1, 2, 3, 4, 5})
    ours, theirs = JavaCompatiblePartitioner(), DefaultPartitioner()
    keys = [f"customer-{n}".encode() for n in range(2000)]
    assert [ours.partition("t", None, k, None, None, cluster) for k in keys] == \
           [theirs.partition("t", None, k, None, None, cluster) for k in keys]
    assert {partition_of(k, 6) for k in keys} == set(range(6))


def test_a_record_without_a_key_goes_to_a_partition_with_a_leader():
    cluster = Cluster(partitions={"t": {0, 1, 2}}, available={2})
    assert {JavaCompatiblePartitioner().partition("t", None, None, None, None, cluster) for _ in range(50)} == {2}


def test_an_unknown_topic_is_refused():
    with pytest.raises(ValueError):
        JavaCompatiblePartitioner().partition("nope", None, b"k", None, None, Cluster(partitions={}, available=set()))
