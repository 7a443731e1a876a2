"""Wake a loop when there is work for it: LISTEN on a channel, with a timeout as the safety net.

The mailings projection notifies the dispatcher when an event calls for e-mails; the dispatcher
notifies the senders when it has queued some. Retries that fall due are found by the timeout.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

import psycopg

from eventkit import db

log = logging.getLogger(__name__)

MAILINGS = "portico_mailings"
DELIVERIES = "portico_deliveries"


class Wakeup:
    """One connection of its own, opened on first use and again after the database was away."""

    def __init__(self, dsn: str, channel: str):
        self.dsn, self.channel = dsn, channel
        self._conn: psycopg.Connection | None = None

    def wait(self, stop: threading.Event, timeout: float) -> None:
        """Return at the next NOTIFY on the channel, after `timeout` seconds, or at once if one is pending."""
        try:
            if self._conn is None:
                self._conn = psycopg.connect(self.dsn, autocommit=True)
                self._conn.execute(f"LISTEN {self.channel}")
            db.wait_for_notify(self._conn, timeout)
        except psycopg.OperationalError:
            self.close()
            stop.wait(timeout)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def work_until_stopped(name: str, stop: threading.Event, wakeup: Wakeup, work: Callable[[], int],
                       idle_wait: float) -> None:
    """Call `work` (it returns how much it did) until stop is set, waiting for a wakeup when it did
    nothing. A database outage is waited out: work's transaction undid itself, so it is simply tried again."""
    try:
        while not stop.is_set():
            try:
                done = work()
            except psycopg.OperationalError as error:
                log.warning("%s lost the database, retrying: %s", name, error)
                done = 0
            if done == 0:
                wakeup.wait(stop, idle_wait)
    finally:
        wakeup.close()
