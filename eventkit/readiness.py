"""Readiness checks: is each dependency reachable? Each answers 'ok' or 'unreachable: <why>'.

Shared by the web apps' /health/ready and the workers' health port, so both say the same thing.
A broker check is a real Kafka request (DescribeCluster), cached for a few seconds so that frequent
probes don't open a connection each.
"""
from __future__ import annotations

import threading
import time
from typing import Callable, Iterable, Mapping

import psycopg
from kafka import KafkaAdminClient

Check = Callable[[], str]
OK = "ok"


COMMAND_TABLES = ("events", "outbox")  # what every command writes
PROBE_LOCK_TIMEOUT_MS = 500


def database(pool, tables: Iterable[str] = ()) -> Check:
    """Reachable, and, for `tables`, writable now: the check takes the lock a command takes on each
    (ROW EXCLUSIVE, rolled back at once) with a short lock_timeout, so a migration or a long statement
    holding SHARE or stronger locks, which would make every login and append queue, says 'blocked'."""
    tables = tuple(tables)
    probe = f"LOCK TABLE {', '.join(tables)} IN ROW EXCLUSIVE MODE" if tables else "SELECT 1"

    def check() -> str:
        try:
            with pool.connection(timeout=2) as conn:
                with conn.transaction(force_rollback=True):
                    conn.execute(f"SET LOCAL lock_timeout = {PROBE_LOCK_TIMEOUT_MS}")
                    conn.execute(f"SET LOCAL statement_timeout = {2 * PROBE_LOCK_TIMEOUT_MS}")
                    conn.execute(probe)
            return OK
        except (psycopg.errors.LockNotAvailable, psycopg.errors.QueryCanceled):
            return f"blocked: another session holds a lock on {', '.join(tables)} (a migration or a long statement)"
        except psycopg.errors.UndefinedTable:
            return "not migrated: run the service's migrate step"
        except Exception as error:  # any failure to reach it is the answer, not a crash
            return f"unreachable: {type(error).__name__}"
    return check


def broker(bootstrap: str, cache_seconds: float = 5.0) -> Check:
    lock, last = threading.Lock(), {"at": 0.0, "answer": OK}

    def ask() -> str:
        try:
            admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="portico-readiness",
                                     request_timeout_ms=2000, bootstrap_timeout_ms=2000)
            try:
                admin.describe_cluster()
            finally:
                admin.close()
            return OK
        except Exception as error:
            return f"unreachable: {type(error).__name__}"

    def check() -> str:
        with lock:
            if time.monotonic() - last["at"] > cache_seconds:
                last["answer"], last["at"] = ask(), time.monotonic()
            return last["answer"]
    return check


def report(checks: Mapping[str, Check], only: set[str] | None = None) -> tuple[dict, int]:
    """({status, checks, unavailable}, 200 or 503): 503 names each dependency that is unreachable."""
    results = {name: check() for name, check in checks.items() if not only or name in only}
    down = sorted(name for name, answer in results.items() if answer != OK)
    body = {"status": "unavailable" if down else "ok", "checks": results}
    if down:
        body["unavailable"] = down
    return body, 503 if down else 200
