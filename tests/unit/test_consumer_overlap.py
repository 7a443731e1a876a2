"""A consumer that is catching up reads and prepares a batch while the one before it is written: batches
are still applied one at a time and in order, and a batch that fails to apply stops the batches after it
(the consumer starts over from the offsets the database holds), so nothing is skipped."""
from __future__ import annotations

import threading

import psycopg
import pytest

from eventkit.consumer import Behind, ConsumerRunner
from eventkit.projection import Projection

from .kafka_fakes import ScriptedConsumer

BIG = 3  # records in a poll from which the runners below overlap


def _runner(consumer_factory) -> ConsumerRunner:
    projection = Projection(name="demo.things.v1", topics=["portico.demo"], reducers={}, table="things_v1")
    return ConsumerRunner(projection, pool=None, contracts=None, consumer_factory=consumer_factory,
                          producer_factory=lambda: None, overlap_from=BIG)


def _run(runner: ConsumerRunner, stop: threading.Event) -> None:
    thread = threading.Thread(target=runner.run, args=(stop, 1))
    thread.start()
    thread.join(timeout=20)
    assert not thread.is_alive()


def test_a_big_batch_is_prepared_while_the_one_before_is_applied_and_they_apply_in_order():
    stop = threading.Event()
    polls = [["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2", "c3"]]
    runner = _runner(lambda group: ScriptedConsumer(stop, [{"tp": p} for p in polls]))
    log, prepared_b = [], threading.Event()

    def prepare(records):
        log.append(f"prepare {records[0][0]}" if records else "prepare idle")
        if records and records[0] == "b1":
            prepared_b.set()
        return (records, {}) if records else None

    def apply(work, offsets):
        if work[0] == "a1":  # the first batch is still being written when the second is prepared
            log.append(f"b prepared while a applied: {prepared_b.wait(timeout=5)}")
        log.append(f"applied {work[0][0]}")
        return True

    runner.prepare_records, runner.apply_prepared = prepare, apply
    _run(runner, stop)

    assert "b prepared while a applied: True" in log
    assert [line for line in log if line.startswith("applied")] == ["applied a", "applied b", "applied c"]


def test_a_batch_that_fails_in_the_background_stops_the_batches_after_it_and_the_consumer_starts_over():
    stop = threading.Event()
    made: list[ScriptedConsumer] = []

    def consumer_factory(group):
        # The first consumer reads three batches; the one after the failure reads them all again.
        made.append(ScriptedConsumer(stop, [{"tp": p} for p in (["a1", "a2", "a3"], ["b1", "b2", "b3"], ["c1", "c2", "c3"])]))
        return made[-1]

    runner = _runner(consumer_factory)
    applied, failed = [], []

    def apply(work, offsets):
        if work[0] == "b1" and not failed:
            failed.append("b")
            raise psycopg.OperationalError("the database went away")
        applied.append(work[0][0])
        return True

    runner.prepare_records = lambda records: (records, {}) if records else None
    runner.apply_prepared = apply
    _run(runner, stop)

    assert len(made) == 2  # the failure was raised in the consumer's loop, which started a new consumer
    assert applied == ["a", "a", "b", "c"]  # c never applied on the heels of the failed b; all read again


def test_finish_says_what_the_batch_returned_or_raises_what_it_raised():
    behind = Behind("test apply")
    behind.start(lambda: True)
    assert behind.finish() is True and not behind.busy

    behind.start(lambda: (_ for _ in ()).throw(ValueError("bad row")))
    behind.wait()  # waiting (as a revoked member does) keeps the error for finish()
    with pytest.raises(ValueError, match="bad row"):
        behind.finish()
    assert behind.finish() is False  # nothing being applied
