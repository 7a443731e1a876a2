"""Few waiting requests at a time: a read that waits (`?after=`, `Prefer: wait`) sleeps in one of its
web worker's threads, so each process lets at most WAIT_MAX_REQUESTS of them wait at once, and one
caller (a credential, else an address) at most WAIT_MAX_PER_CALLER. A request over either cap does
not wait: it answers at once with what there is (a read behind its `after` says so with a 503 and
Retry-After), and the other threads stay free for everyone else, health checks included.
"""
from __future__ import annotations

import hashlib
import threading
from collections import Counter
from contextlib import contextmanager
from typing import Iterator

from flask import current_app, request

MAX_REQUESTS = 4  # of gunicorn's 8 threads per worker (deploy/gunicorn.conf.py)
MAX_PER_CALLER = 2


class Waiters:
    """Who is waiting in this process, counted under one lock."""

    def __init__(self, max_requests: int, max_per_caller: int):
        self.max_requests, self.max_per_caller = max_requests, max_per_caller
        self._lock, self._callers, self._total = threading.Lock(), Counter(), 0

    @contextmanager
    def turn(self, caller: str) -> Iterator[bool]:
        """True while this request may wait; False if it must answer at once."""
        with self._lock:
            allowed = self._total < self.max_requests and self._callers[caller] < self.max_per_caller
            if allowed:
                self._total += 1
                self._callers[caller] += 1
        try:
            yield allowed
        finally:
            if allowed:
                with self._lock:
                    self._total -= 1
                    self._callers[caller] -= 1
                    if not self._callers[caller]:
                        del self._callers[caller]


def _caller() -> str:
    credential = request.headers.get("Authorization")
    if credential:  # hashed: the counter must never hold a token
        return "auth:" + hashlib.sha256(credential.encode()).hexdigest()
    return f"addr:{request.remote_addr}"


def turn() -> Iterator[bool]:
    """`with waiting.turn() as may_wait:` for the current request, in the current app's process."""
    app = current_app._get_current_object()
    waiters = app.extensions.get("waiting")
    if waiters is None:
        waiters = app.extensions.setdefault("waiting", Waiters(int(app.config.get("WAIT_MAX_REQUESTS", MAX_REQUESTS)),
                                                               int(app.config.get("WAIT_MAX_PER_CALLER",
                                                                                  MAX_PER_CALLER))))
    return waiters.turn(_caller())
