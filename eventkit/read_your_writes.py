"""Read-your-writes over HTTP: commands answer with the `Portico-Position` header, queries wait for it.

The unit of work tells `remember` what it committed; `init_app` turns that into the header. A query
view calls `wait(pool, read_model, query["after"])` before reading (see eventkit/consistency.py for
the token and why it is correct across partitions).
"""
from __future__ import annotations

import time
from typing import Iterable

from flask import Flask, current_app, g, has_request_context

from . import waiting
from .consistency import HEADER, decode, encode, marks
from .kafka import TopicSpec
from .problems import Problem

DEFAULT_TIMEOUT = 5.0  # seconds; READ_AFTER_TIMEOUT in the service's config (PORTICO_READ_AFTER_TIMEOUT)
POLL_INTERVAL = 0.05


def remember(store, events) -> None:
    """Note events committed during this request, for the answer's header; outside a request, nothing."""
    if events and has_request_context():
        g.setdefault("written", []).extend((store.contracts.topic_of(e.type), e) for e in events)
        g.written_prefix = store.topic_prefix


def init_app(app: Flask, topics: Iterable[TopicSpec]) -> None:
    """Answer every request that wrote events with the Portico-Position header."""
    partitions = {t.name: t.partitions for t in topics}

    @app.after_request
    def _position(response):
        written = g.pop("written", None)
        if written:
            response.headers[HEADER] = encode(marks(written, partitions, g.get("written_prefix", "")))
        return response


def wait(pool, read_model, token: str | None, timeout: float | None = None) -> None:
    """Return once the read model shows every write in the token, or answer 503 when it does not in time.

    Marks on topics the read model does not read are ignored: it will never show those writes.
    Each check borrows a pooled connection briefly, so waiting requests do not hold the pool; and only
    a few wait at once (eventkit/waiting.py), so they do not hold the web worker's threads either.
    """
    if not token:
        return
    wanted = [m for m in decode(token) if m.topic in read_model.topics]
    if timeout is None:
        timeout = float(current_app.config.get("READ_AFTER_TIMEOUT", DEFAULT_TIMEOUT))
    started = time.monotonic()
    with waiting.turn() as may_wait:
        while wanted:
            with pool.connection() as conn:
                wanted = read_model.behind(conn, wanted)
            if not wanted:
                return
            waited = time.monotonic() - started
            if not may_wait:
                raise Problem(503, "read.position_not_reached", "Not caught up with your change yet",
                              f"This read does not show {encode(wanted)} yet, and too many reads are waiting at "
                              "once to wait for it. Retry shortly with the same `after`.",
                              headers={"Retry-After": "1"}, after=token, behind=[str(m) for m in wanted],
                              reason="too_many_waiting")
            if waited >= timeout:
                raise Problem(503, "read.position_not_reached", "Not caught up with your change yet",
                              f"This read does not show {encode(wanted)} after {waited:.1f} s. Retry shortly with "
                              f"the same `after`; if it never does, the position is not one of this deployment's.",
                              headers={"Retry-After": "1"}, after=token, behind=[str(m) for m in wanted])
            time.sleep(POLL_INTERVAL)
