"""Wake a loop when there is work for it: LISTEN on a channel, with a timeout as the safety net.

The mailings projection notifies the dispatcher when an event calls for e-mails; the dispatcher
notifies the senders when it has queued some. Retries that fall due are found by the timeout.
"""
from __future__ import annotations

import threading

import psycopg

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
            for _ in self._conn.notifies(timeout=timeout, stop_after=1):
                pass
        except psycopg.OperationalError:
            self.close()
            stop.wait(timeout)

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
