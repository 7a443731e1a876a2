"""A rebuild's readers: the topics' partitions shared out among members, one in this process, the others forked.

kafka-python decodes records in Python, under the GIL, so one process reads a topic on one core at most: a
rebuild of 50,000 events kept its process busy 113 µs per event, a third of it in kafka-python alone. A
rebuild knows the partitions it must read (the heads it was given at the start), so it needs no consumer
group to share them out: each member is assigned its share and reads it from the stored offsets, and no
member waits for a rebalance (a group's takes up to a heartbeat, 2 s, for every member that joins). They
write one copy under one consumer name, each its own partitions' offsets, so how far the copy stands is read
as before.

The other members are forked, not spawned: they start at once (a spawned one spends a second importing the
service), with the projection's reducers as they are here. A forked child must not use its parent's
connections, so each opens a pool of its own and makes its runner with it; it makes no other use of what it
inherited. Forking a process that runs threads is safe only if the child takes no lock another thread held
at that moment: the child's runner shares with this process's threads only the locks of the service's key
cache and of the metrics, each held for a dictionary update.
"""
from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
import threading
from typing import Any, Callable, Iterable, Sequence

from psycopg_pool import ConnectionPool

from .db import create_pool
from .projection import Projection

Share = list[tuple[str, int]]  # (topic, partition)
MakeRunner = Callable[[Projection, ConnectionPool], Any]  # (the copy, a pool to write it with) -> a runner


def shares(partitions: Iterable[tuple[str, int]], members: int) -> list[Share]:
    """The partitions dealt out in turn to at most `members` members, none of them empty."""
    ordered = sorted(partitions)
    count = max(1, min(members, len(ordered)))
    return [ordered[n::count] for n in range(count)]


class Members:
    """The copy's readers: the first share read in a thread of this process, the others each in a fork."""

    def __init__(self, make_runner: MakeRunner, copy: Projection, pool: ConnectionPool, partitions: Sequence[Share]):
        self.make_runner, self.copy, self.pool, self.partitions = make_runner, copy, pool, list(partitions)
        self._fork = multiprocessing.get_context("fork")
        self.stop = self._fork.Event()  # a thread's and a fork's alike
        self.runner: Any = None
        self._thread: threading.Thread | None = None
        self._forks: list[Any] = []
        self._ended = False

    def start(self) -> None:
        # Forked before this process starts a thread of its own for the copy, so no child inherits it mid-batch.
        for n, share in enumerate(self.partitions[1:], start=1):
            child = self._fork.Process(target=_read_share, args=(self.make_runner, self.copy, self.pool.conninfo,
                                                                 share, self.stop, os.getpid()),
                                       name=f"{self.copy.name} member {n}", daemon=True)
            child.start()
            self._forks.append(child)
        self.runner = self.make_runner(self.copy, self.pool)
        self._thread = threading.Thread(target=self.runner.run, args=(self.stop,),
                                        kwargs={"partitions": self.partitions[0]}, name=self.copy.name, daemon=True)
        self._thread.start()

    @property
    def last_outage(self) -> Exception | None:
        """What this process's member last started over after (the forks meet the same database and broker)."""
        return getattr(self.runner, "last_outage", None)

    def failure(self) -> str | None:
        """Why a member ended before it was told to stop, if one did."""
        if self.stop.is_set():
            return None
        for child in self._forks:
            if child.exitcode is not None:
                return f"{child.name} ended with exit code {child.exitcode}"
        if self._thread is not None and not self._thread.is_alive():
            return f"{self.copy.name}'s member in this process ended"
        return None

    def end(self, timeout: float = 30.0) -> None:
        """Stop every member and wait for it (a fork that does not stop within `timeout` is killed); once."""
        if self._ended:  # a killed fork may have left the stop event's lock held: never set it twice
            return
        self._ended = True
        self.stop.set()
        if self._thread is not None:
            self._thread.join(timeout=timeout)
        for child in self._forks:
            child.join(timeout=timeout)
            if child.is_alive():
                child.kill()
                child.join()


def _read_share(make_runner: MakeRunner, copy: Projection, conninfo: str, share: Share, stop, parent: int) -> None:
    """A forked member: its own pool, its runner reading its share until told to stop."""
    # What the fork inherited stays as it is: kept out of the collector's generations, a full collection
    # need not walk the parent's heap (nor copy its pages by touching their reference counts).
    gc.freeze()
    _die_with(parent)
    pool = create_pool(conninfo, min_size=1, max_size=2, name=f"{copy.name}-member")
    try:
        make_runner(copy, pool).run(stop, partitions=share)
    finally:
        pool.close()


def _die_with(parent: int) -> None:
    """Killed if the process that forked it dies (an operator's ^C, the OOM killer): an orphaned member would
    go on writing the copy under the rebuild's consumer name, beside the next rebuild's (Linux's prctl)."""
    PR_SET_PDEATHSIG = 1
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent was gone before the request took effect
        os._exit(1)
