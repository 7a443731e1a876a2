"""Position tokens: one mark per partition written to, with the partition Kafka's producer picks."""
import uuid

import pytest
from kafka.partitioner.default import DefaultPartitioner

from eventkit.consistency import Mark, Stored, decode, encode, marks, partition_for
from eventkit.envelope import StoredEvent, now


class _Cluster:
    """Just enough cluster metadata for kafka-python's partitioner: one topic of six partitions."""

    def topics(self):
        return {"portico.identity"}

    def partitions_for_topic(self, topic):
        return set(range(6))

    def available_partitions_for_topic(self, topic):
        return set(range(6))


def event(stream_id: str, position: int) -> StoredEvent:
    return StoredEvent(position=position, stream_id=stream_id, stream_type="customer", stream_version=1,
                       id=uuid.uuid4(), type="portico.identity.customer.created", version=1, tenant_id="acme",
                       occurred_at=now(), actor="staff-1", correlation_id=uuid.uuid4(), causation_id=None,
                       traceparent=None, data={})


@pytest.mark.parametrize("key", [f"customer-{uuid.uuid4()}" for _ in range(20)] + ["settings-acme", "x"])
def test_the_partition_is_the_one_the_producer_picks(key):
    picked = DefaultPartitioner().partition("portico.identity", key, key.encode(), None, None, _Cluster())
    assert partition_for(key, 6) == picked


def test_a_command_s_marks_keep_the_highest_position_per_partition():
    streams = [f"customer-{uuid.uuid4()}" for _ in range(8)]
    written = [("portico.identity", event(s, n)) for n, s in enumerate(streams + streams[:2], start=10)]

    found = marks(written, {"portico.identity": 6}, prefix="test-1.")

    assert len({(m.topic, m.partition) for m in found}) == len(found)
    for stream in streams:
        part = partition_for(stream, 6)
        highest = max(e.position for _, e in written if partition_for(e.stream_id, 6) == part)
        assert Mark("test-1.portico.identity", part, highest) in found


def test_a_token_reads_back_as_its_marks():
    written = [Mark("portico.identity", 3, 41), Mark("test-a1.portico.invitations", 0, 7)]
    assert encode(written) == "portico.identity:3:41,test-a1.portico.invitations:0:7"
    assert decode(encode(written)) == written


@pytest.mark.parametrize("bad", ["", "41", "portico.identity:3", "a:b:c", "portico identity:1:2", "t:1:2,"])
def test_anything_else_is_not_a_token(bad):
    with pytest.raises(ValueError):
        decode(bad)


def test_the_store_has_reached_every_position_up_to_its_head():
    class Head:
        def execute(self, sql):
            return self

        def fetchone(self):
            return {"head": 42}

    store = Stored.of("", "portico.identity")
    wanted = [Mark("portico.identity", 1, 42), Mark("portico.identity", 2, 43)]
    assert store.behind(Head(), wanted) == [Mark("portico.identity", 2, 43)]
