"""Kafka's copy of a consumer's offsets (what `ops lag` reads) is committed at most once per
KAFKA_COMMIT_EVERY, and never left behind: an idle poll commits what the last batches applied."""
import threading

from eventkit import consumer as consumer_module
from eventkit.consumer import ConsumerRunner
from eventkit.projection import Projection

from .kafka_fakes import ScriptedConsumer


def test_the_batches_a_second_holds_are_committed_once_and_an_idle_poll_commits_the_last(monkeypatch):
    monkeypatch.setattr(consumer_module, "KAFKA_COMMIT_EVERY", 0.05)
    stop = threading.Event()
    fake = ScriptedConsumer(stop, [{"tp": ["first"]}, {"tp": ["second"]}] + [{}] * 10, pause=0.01)
    projection = Projection(name="demo.things.v1", topics=["portico.demo"], reducers={}, table="things_v1")
    runner = ConsumerRunner(projection, pool=None, contracts=None, consumer_factory=lambda group: fake,
                            producer_factory=lambda: None)
    monkeypatch.setattr(runner, "apply_records", lambda records: bool(records))

    runner.run(stop, 1)

    assert fake.log[:3] == ["poll first", "commit", "poll second"]  # the second batch waits for the window
    assert fake.log.count("commit") == 2 and fake.log.index("commit", 2) < fake.log.index("commit at stop")
