"""Rate limits for what anonymous callers may do (registration, guessing links), counted in the database.

A window per key that opens with its first hit: every process and worker of a service counts into the
same row, and the count is one atomic upsert, so a parallel burst cannot slip past it. Count inside the
transaction of the work being limited: what is refused or fails rolls its hits back, so only what was
done (a user registered, an e-mail sent) counts, and a client retrying a refused request is not locked
out by its retries.
The table is the service's: pass SCHEMA to its migration.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

SCHEMA = """
CREATE TABLE IF NOT EXISTS rate_limit_windows (
    bucket        text        PRIMARY KEY,
    window_start  timestamptz NOT NULL,
    hits          integer     NOT NULL
);
CREATE INDEX IF NOT EXISTS rate_limit_windows_by_age ON rate_limit_windows (window_start);
"""
_KEEP = timedelta(days=1)


@dataclass(frozen=True)
class Limit:
    name: str        # e.g. "registration.address": part of the bucket, never shown
    hits: int        # at most this many per window
    window: timedelta
    what: str        # for the answer: "registrations for this e-mail address"


def hit(conn, limit: Limit, key: str, now: datetime) -> int | None:
    """Count one hit of `key`; the seconds until its window ends when this hit is over the limit, else None."""
    row = conn.execute(
        "INSERT INTO rate_limit_windows AS w (bucket, window_start, hits) VALUES (%(bucket)s, %(now)s, 1)"
        " ON CONFLICT (bucket) DO UPDATE SET"
        " hits = CASE WHEN w.window_start <= %(opened)s THEN 1 ELSE w.hits + 1 END,"
        " window_start = CASE WHEN w.window_start <= %(opened)s THEN %(now)s ELSE w.window_start END"
        " RETURNING hits, window_start",
        {"bucket": f"{limit.name}:{key}", "now": now, "opened": now - limit.window}).fetchone()
    conn.execute("DELETE FROM rate_limit_windows WHERE window_start < %s", (now - _KEEP,))
    if row["hits"] <= limit.hits:
        return None
    return max(1, int((row["window_start"] + limit.window - now).total_seconds()))


def first_over(conn, checks: list[tuple[Limit, str]], now: datetime) -> tuple[Limit, int] | None:
    """Count a hit for each (limit, key); the limit over which this hit went with its Retry-After, else None."""
    over = [(limit, wait) for limit, key in checks if (wait := hit(conn, limit, key, now)) is not None]
    return max(over, key=lambda o: o[1]) if over else None


def in_words(seconds: int) -> str:
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{(seconds + 59) // 60} minutes"
