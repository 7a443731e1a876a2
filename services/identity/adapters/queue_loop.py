"""A background loop for work queued in a table (forgot-password requests): step while there is work.

A failing step (the database away, a conflict) is logged and tried again after a pause; the request is
still in its table, so nothing is lost.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

log = logging.getLogger(__name__)


def work_while_queued(name: str, step: Callable[[], bool], stop: threading.Event, idle_wait: float = 0.2,
                      retry_wait: float = 1.0) -> None:
    """Run `step` until told to stop; it answers whether it found work, and waits a moment when it did not."""
    while not stop.is_set():
        try:
            if step():
                continue
            stop.wait(idle_wait)
        except Exception:  # noqa: BLE001 (any failure: keep the loop, the work stays queued)
            log.exception("%s step failed; trying again in %.0f s", name, retry_wait)
            stop.wait(retry_wait)
