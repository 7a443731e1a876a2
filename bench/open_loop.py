"""An open-loop load generator, run as a process of its own (`python -m bench.open_loop`, fed its job as
JSON on stdin), so that its CPU is neither the service's nor the benchmark's.

The n-th call is due n/rate s after the start, whatever became of the calls before it: a dispatcher
hands each call to an idle worker thread when it is due and starts another worker when none is idle, so
a slow answer never delays the next send. Each call is timed from when it was *due*, not from when a
thread got to it, so a stall stays in the figures (no coordinated omission). How late calls started is
reported too: if the generator itself fell behind, the run says so instead of hiding it.

A target is `module:function`; function(args) returns (make_call, close): make_call() builds one worker's
client (a session, a connection) and returns call(n) -> key, the name the caller can see its effect
under. Times are time.monotonic(), one clock for every process on the machine, so the parent can match
a key against when its effect arrived.
"""
from __future__ import annotations

import importlib
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parent.parent
LATE = 0.010  # a call started more than this after it was due counts as late
BEHIND_SHARE = 0.01  # more than this share of late calls: the generator fell behind
INITIAL_WORKERS, MAX_WORKERS = 8, 256


def schedule(rate: float, count: int, start: float) -> list[float]:
    """When each of `count` calls is due at `rate` a second from `start`: a fixed arrival schedule."""
    if rate <= 0 or count < 0:
        raise ValueError(f"an open loop needs a positive rate and a count, not rate={rate}, count={count}")
    return [start + n / rate for n in range(count)]


@dataclass
class Outcome:
    """Every call's key, due, start and end (monotonic s), the errors, and the workers it took."""

    keys: list = field(default_factory=list)
    due: list = field(default_factory=list)
    started: list = field(default_factory=list)
    done: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    workers: int = 0

    def latencies(self) -> list[float]:
        """Seconds from when each call was due until it was answered."""
        return [d - s for s, d in zip(self.due, self.done) if d is not None]

    def late(self) -> int:
        return sum(1 for s, d in zip(self.started, self.due) if s - d > LATE)

    def fell_behind(self) -> bool:
        return bool(self.errors) or self.late() > BEHIND_SHARE * max(1, len(self.due))

    def pacing(self) -> str:
        """How well the generator kept its schedule, in words for the notes."""
        lags = sorted(s - d for s, d in zip(self.started, self.due))
        worst = lags[-1] * 1000 if lags else 0.0
        words = (f"{self.late():,} of {len(self.due):,} calls started more than {LATE * 1000:.0f} ms late "
                 f"(worst {worst:.0f} ms), {self.workers} generator threads")
        if self.errors:
            words += f"; {len(self.errors):,} calls failed, e.g. {self.errors[0]}"
        return ("THE GENERATOR FELL BEHIND: " if self.fell_behind() else "") + words

    def to_json(self) -> dict:
        return {k: getattr(self, k) for k in ("keys", "due", "started", "done", "errors", "workers")}


def drive(make_call: Callable[[], Callable[[int], str]], due: list[float],
          clock: Callable[[], float] = time.monotonic, max_workers: int = MAX_WORKERS) -> Outcome:
    """Call call(n) when due[n] comes, from as many threads as it takes to keep the schedule."""
    n_calls = len(due)
    out = Outcome(keys=[None] * n_calls, due=list(due), started=[None] * n_calls, done=[None] * n_calls)
    work: queue.Queue = queue.Queue()
    lock, idle, threads = threading.Lock(), [0], []

    def worker() -> None:
        call = make_call()
        while True:
            with lock:
                idle[0] += 1
            n = work.get()
            if n is None:
                return
            out.started[n] = clock()
            try:
                out.keys[n] = call(n)
            except Exception as error:  # a failed call is reported, never dropped silently
                with lock:
                    out.errors.append(f"call {n}: {type(error).__name__}: {error}"[:300])
            out.done[n] = clock()

    def add_worker() -> None:
        thread = threading.Thread(target=worker, daemon=True)
        threads.append(thread)
        thread.start()

    for _ in range(min(INITIAL_WORKERS, max_workers)):
        add_worker()
    for n, at in enumerate(due):
        delay = at - clock()
        if delay > 0:
            time.sleep(delay)
        with lock:
            spare = idle[0] > 0
            if spare:
                idle[0] -= 1
        if not spare and len(threads) < max_workers:
            add_worker()
            with lock:  # the new worker counts itself idle when it starts: take that back now
                idle[0] -= 1
        work.put(n)
    for _ in threads:
        work.put(None)
    for thread in threads:
        thread.join()
    out.workers = len(threads)
    return out


def _target(name: str):
    module, _, function = name.partition(":")
    return getattr(importlib.import_module(module), function)


def main() -> int:
    job = json.loads(sys.stdin.read())
    make_call, close = _target(job["target"])(job.get("args", {}))
    try:
        due = schedule(job["rate"], job["count"], time.monotonic() + job.get("lead", 0.5))
        outcome = drive(make_call, due, max_workers=job.get("max_workers", MAX_WORKERS))
    finally:
        close()
    sys.stdout.write(json.dumps(outcome.to_json()))
    return 0


def run(target: str, args: dict, rate: float, count: int, log: Path | None = None) -> Outcome:
    """Run `target` open loop at `rate` for `count` calls in a generator process; what it measured."""
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'services'}", "PORTICO_LOG_LEVEL": "WARNING"}
    job = json.dumps({"target": target, "args": args, "rate": rate, "count": count})
    errors = open(log, "wb") if log else subprocess.DEVNULL
    try:
        done = subprocess.run([sys.executable, "-m", "bench.open_loop"], input=job.encode(), cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=errors, check=False)
    finally:
        if log:
            errors.close()
    if done.returncode != 0:
        tail = log.read_text()[-2000:] if log else ""
        raise RuntimeError(f"the load generator for {target} failed ({done.returncode}):\n{tail}")
    return Outcome(**json.loads(done.stdout))


if __name__ == "__main__":
    sys.exit(main())
