"""topic_heads asks again with a fresh client when one waits out its timeout (a stale leader after a restart)."""
from __future__ import annotations

import pytest
from kafka import TopicPartition
from kafka.errors import KafkaTimeoutError

from eventkit import offsets


class Client:
    """A consumer's offset lookups; the first `stuck` clients made time out on the end offsets."""
    made: list["Client"] = []
    stuck = 0

    def __init__(self, bootstrap: str):
        self.closed = False
        self.times_out = len(Client.made) < Client.stuck
        Client.made.append(self)

    def partitions_for_topic(self, topic):
        return {0, 1}

    def beginning_offsets(self, partitions, timeout_ms):
        return {tp: 0 for tp in partitions}

    def end_offsets(self, partitions, timeout_ms):
        if self.times_out:
            raise KafkaTimeoutError("Failed to get offsets by timestamps in 10000 ms")
        return {tp: 10 + tp.partition for tp in partitions}

    def close(self):
        self.closed = True


@pytest.fixture(autouse=True)
def fresh():
    Client.made, Client.stuck = [], 0


def test_a_client_that_times_out_is_closed_and_a_fresh_one_answers():
    Client.stuck = 1
    heads = offsets.topic_heads("broker:9092", iter(["t"]), connect=Client)
    assert heads == {("t", 0): (0, 10), ("t", 1): (0, 11)}
    assert len(Client.made) == 2 and all(c.closed for c in Client.made)


def test_three_clients_timing_out_raise_the_timeout():
    Client.stuck = 5
    with pytest.raises(KafkaTimeoutError):
        offsets.topic_heads("broker:9092", ["t"], connect=Client)
    assert len(Client.made) == 3 and all(c.closed for c in Client.made)
