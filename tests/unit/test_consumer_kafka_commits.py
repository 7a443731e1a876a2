"""Kafka's copy of a consumer's offsets (what `ops lag` reads) is committed at most once per
KAFKA_COMMIT_EVERY, and never left behind: an idle poll commits what the last batches applied."""
import threading
import time

from eventkit import consumer as consumer_module
from eventkit.consumer import ConsumerRunner
from eventkit.projection import Projection

from .kafka_fakes import Coordinator


class _TwoBatchesThenIdle:
    """Hands over two batches back to back, then polls nothing until the runner is stopped."""

    def __init__(self, stop: threading.Event, idle_polls: int):
        self._coordinator, self.stop = Coordinator(), stop
        self.batches = [{"tp": ["first"]}, {"tp": ["second"]}] + [{}] * idle_polls
        self.log: list[str] = []

    def subscribe(self, topics, listener=None):
        pass

    def partitions_for_topic(self, topic):
        return {0}

    def poll(self, timeout_ms=0):
        if not self.batches:
            self.stop.set()
            return {}
        batch = self.batches.pop(0)
        self.log.append("poll " + ",".join(r for records in batch.values() for r in records))
        time.sleep(0.01)
        return batch

    def commit_async(self):
        self.log.append("commit")

    def commit(self):
        self.log.append("commit at stop")

    def assignment(self):
        return set()

    def close(self, autocommit=True):
        pass


def test_the_batches_a_second_holds_are_committed_once_and_an_idle_poll_commits_the_last(monkeypatch):
    monkeypatch.setattr(consumer_module, "KAFKA_COMMIT_EVERY", 0.05)
    stop = threading.Event()
    fake = _TwoBatchesThenIdle(stop, idle_polls=10)
    projection = Projection(name="demo.things.v1", topics=["portico.demo"], reducers={}, table="things_v1")
    runner = ConsumerRunner(projection, pool=None, contracts=None, consumer_factory=lambda group: fake,
                            producer_factory=lambda: None)
    monkeypatch.setattr(runner, "apply_records", lambda records: bool(records))

    runner.run(stop, 1)

    assert fake.log[:3] == ["poll first", "commit", "poll second"]  # the second batch waits for the window
    assert fake.log.count("commit") == 2 and fake.log.index("commit", 2) < fake.log.index("commit at stop")
