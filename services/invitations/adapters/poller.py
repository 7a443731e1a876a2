"""A background loop for work kept in tables: do steps while there is work, then wait for a NOTIFY.

The batch worker, the expiry sweep and the acceptance of registrations run in it. A failing step
(a conflict with another worker, the database away) is logged and tried again after a pause; the
work is still in its table, so nothing is lost.
"""
from __future__ import annotations

import logging
import threading
from typing import Callable

import psycopg

from eventkit import db

log = logging.getLogger(__name__)


class Poller:
    def __init__(self, name: str, dsn: str, step: Callable[[], bool], channel: str | None = None,
                 idle_wait: float = 1.0, retry_wait: float = 1.0):
        self.name, self.dsn, self.step, self.channel = name, dsn, step, channel
        self.idle_wait, self.retry_wait = idle_wait, retry_wait

    def run(self, stop: threading.Event) -> None:
        """Work until told to stop; survive the database going away."""
        while not stop.is_set():
            try:
                with psycopg.connect(self.dsn, autocommit=True) as listener:
                    if self.channel:
                        listener.execute(f"LISTEN {self.channel}")
                    self._work(stop, listener)
            except psycopg.OperationalError as error:
                log.warning("%s lost the database, retrying: %s", self.name, error)
                stop.wait(self.retry_wait)

    def _work(self, stop: threading.Event, listener: psycopg.Connection) -> None:
        while not stop.is_set():
            if self._step_safely(stop):
                continue
            if self.channel:
                db.wait_for_notify(listener, self.idle_wait)
            else:
                stop.wait(self.idle_wait)

    def _step_safely(self, stop: threading.Event) -> bool:
        try:
            return bool(self.step())
        except psycopg.OperationalError:
            raise
        except Exception:  # e.g. two workers inviting one customer: rolled back, tried again
            log.exception("%s step failed; trying again in %.0f s", self.name, self.retry_wait)
            stop.wait(self.retry_wait)
            return False
