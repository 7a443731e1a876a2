"""A consumer that never gets into its group is replaced, not left spinning (kafka-python 3.0 can)."""
from __future__ import annotations

import threading

from eventkit.consumer import ConsumerRunner
from eventkit.projection import Projection

from .kafka_fakes import Coordinator


class _FakeConsumer:
    """Polls nothing; its coordinator either joins the group at once or never does."""

    def __init__(self, joins: bool, stop: threading.Event, polls_before_stop: int = 5):
        self._coordinator = Coordinator(joins)
        self.stop, self.polls_left = stop, polls_before_stop
        self.closed = False

    def partitions_for_topic(self, topic):
        return {0}

    def subscribe(self, topics, listener=None):
        pass

    def poll(self, timeout_ms=0):
        if self._coordinator.joins:
            self.polls_left -= 1
            if self.polls_left == 0:
                self.stop.set()
        return {}

    def assignment(self):
        return set()

    def commit(self):  # a stopping runner commits Kafka's copy of its offsets
        pass

    def close(self, autocommit=True):
        self.closed = True


def test_a_consumer_stuck_outside_its_group_is_closed_and_replaced():
    stop = threading.Event()
    made = []

    def consumer_factory(group):
        consumer = _FakeConsumer(joins=bool(made), stop=stop)  # the first one never joins
        made.append(consumer)
        return consumer

    projection = Projection(name="demo.things.v1", topics=["portico.demo"], reducers={}, table="things_v1")
    runner = ConsumerRunner(projection, pool=None, contracts=None, consumer_factory=consumer_factory,
                            producer_factory=lambda: None, join_timeout=0.05)
    thread = threading.Thread(target=runner.run, args=(stop, 1))
    thread.start()
    thread.join(timeout=10)

    assert not thread.is_alive()
    assert len(made) == 2 and made[0].closed and made[1].closed
