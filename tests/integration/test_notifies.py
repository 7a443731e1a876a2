"""Waiting for work announced by NOTIFY: a loop waits for the next notification, and before it looks for
work it forgets the ones already received, since that look finds everything they announced (the relay
used to wake once more, for nothing, for every event committed while it published a batch)."""
import threading
import time

import psycopg
import pytest

from eventkit.db import forget_notifies, wait_for_notify

CHANNEL = "portico_test_wakeups"


@pytest.fixture
def dsn(database):
    return database("notifies")


@pytest.fixture
def listener(dsn):
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"LISTEN {CHANNEL}")
        yield conn


def _notify(dsn: str, times: int = 1) -> None:
    with psycopg.connect(dsn, autocommit=True) as conn:
        for _ in range(times):
            conn.execute(f"NOTIFY {CHANNEL}")


def _pending(listener) -> int:
    return len(list(listener.notifies(timeout=0.2)))


def test_the_notifications_already_received_are_forgotten(dsn, listener):
    _notify(dsn, times=5)
    time.sleep(0.2)  # on their way over loopback

    forget_notifies(listener)

    assert _pending(listener) == 0


def test_a_notification_after_forgetting_still_wakes_the_waiter(dsn, listener):
    forget_notifies(listener)
    woke = threading.Event()
    waiter = threading.Thread(target=lambda: (wait_for_notify(listener, timeout=120), woke.set()))
    waiter.start()

    _notify(dsn)
    waiter.join(timeout=30)  # long before the waiter's own timeout

    assert woke.is_set()


def test_waiting_without_a_notification_ends_at_the_timeout(listener):
    forget_notifies(listener)
    waited = threading.Thread(target=wait_for_notify, args=(listener, 0.3))
    waited.start()
    waited.join(timeout=10)

    assert not waited.is_alive()
