"""The benchmarks' open-loop load generator: a fixed schedule, kept whatever the answers take, and honest
about lateness. No timing is asserted: a fake clock says when things happened."""
from __future__ import annotations

import itertools
import threading

import pytest

from bench.open_loop import LATE, Outcome, drive, schedule


def test_the_schedule_spaces_calls_evenly_at_the_rate_from_the_start():
    assert schedule(4, 5, 100.0) == [100.0, 100.25, 100.5, 100.75, 101.0]
    assert schedule(300, 10_000, 0.0)[-1] == pytest.approx(9_999 / 300)
    assert schedule(50, 0, 1.0) == []


@pytest.mark.parametrize("rate, count", [(0, 10), (-5, 10), (10, -1)])
def test_a_schedule_without_a_positive_rate_or_count_is_refused(rate, count):
    with pytest.raises(ValueError, match="positive rate"):
        schedule(rate, count, 0.0)


def test_a_call_that_hangs_does_not_hold_back_the_calls_due_after_it():
    last_started, due = threading.Event(), schedule(1000, 20, 0.0)

    def make_call():
        def call(n):
            if n == 0:  # the first answer comes only once the last call has been sent
                assert last_started.wait(timeout=30), "the generator waited for a slow answer"
            if n == len(due) - 1:
                last_started.set()
            return f"key-{n}"
        return call

    out = drive(make_call, due, max_workers=64)
    assert out.keys == [f"key-{n}" for n in range(20)] and not out.errors
    assert out.workers >= 2


def test_latency_runs_from_when_a_call_was_due_not_from_when_it_started():
    ticks = itertools.count(start=10.0, step=1.0)  # every clock reading one second after the last
    out = drive(lambda: (lambda n: str(n)), [0.0], clock=lambda: next(ticks), max_workers=1)
    # the dispatcher read 10.0 (the call was already 10 s late), the worker started at 11.0 and ended at 12.0
    assert (out.started, out.done) == ([11.0], [12.0])
    assert out.latencies() == [12.0]  # not 1.0: the 11 s it waited to start are part of what a caller sees


def test_the_outcome_says_when_the_generator_fell_behind_and_by_how_much():
    on_time = Outcome(keys=list("abcd"), due=[0.0, 1.0, 2.0, 3.0], started=[0.0, 1.001, 2.0, 3.0],
                      done=[0.1, 1.1, 2.1, 3.1], workers=2)
    assert on_time.late() == 0 and not on_time.fell_behind()
    assert not on_time.pacing().startswith("THE GENERATOR FELL BEHIND")

    behind = Outcome(keys=list("abcd"), due=[0.0, 1.0, 2.0, 3.0], started=[0.0, 1.0 + 2 * LATE, 2.5, 3.0],
                     done=[0.1, 1.1, 2.6, 3.1], workers=2)
    assert behind.late() == 2 and behind.fell_behind()
    assert behind.pacing().startswith("THE GENERATOR FELL BEHIND: 2 of 4 calls started more than 10 ms late")
    assert "worst 500 ms" in behind.pacing()


def test_a_failed_call_is_reported_and_counts_as_falling_behind():
    def make_call():
        def call(n):
            if n == 1:
                raise ConnectionError("refused")
            return str(n)
        return call

    out = drive(make_call, schedule(1000, 3, 0.0), max_workers=4)
    assert out.errors == ["call 1: ConnectionError: refused"] and out.fell_behind()
    assert len(out.latencies()) == 3  # the failure's time counts too: it was answered, with an error
