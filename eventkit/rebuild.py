"""Rebuild a projection beside the serving one, then switch to it atomically.

A second runner (consumer `<name>~rebuild`) reads the projection's topics from the
beginning into a fresh copy of the table while the live runner keeps the old copy serving. Once the
copy has caught up with the heads seen at the start, the switch takes the registry row's update
lock (live batches hold a share lock, so the live runner pauses between two batches), lets the copy
reach every offset the live runner had reached, hands the copy's processed events and positions to
the live consumer name, and points the registry at the new table, all in one transaction.

The copy is read by `processes` members, each assigned a share of the partitions (eventkit/rebuild_members.py):
a process decodes records on one core at most.
"""
from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timezone
from typing import Callable

from psycopg_pool import ConnectionPool

from .offsets import Heads, stored_positions
from .projection import Projection
from .projection_tables import active_table, switch
from .rebuild_members import MakeRunner, Members, shares

Progress = Callable[[int, int], None]  # (records read, records to read)


class RebuildFailed(RuntimeError):
    pass


def fresh_table(projection: Projection, now: datetime | None = None) -> str:
    return f"{projection.table}_r{(now or datetime.now(timezone.utc)):%Y%m%d%H%M%S}"


def rebuild(pool: ConnectionPool, projection: Projection, make_runner: MakeRunner,
            heads: Callable[[], Heads], on_progress: Progress = lambda done, total: None,
            keep_old: bool = False, switch_timeout: float = 60.0, drop_after: float = 2.0,
            stall_timeout: float = 120.0, processes: int = 1) -> str:
    """Fill a fresh table, switch the projection to it, drop the old one; return the new table's name.

    `make_runner(copy, pool)` makes a runner of the copy that writes with that pool: this one, or a forked
    member's own. A live runner waits out an outage for as long as it lasts; a rebuild is an operator's
    command, so one that makes no progress for `stall_timeout` seconds gives up, saying why if its runner
    keeps starting over, and leaves the live table serving; so does one whose member ends."""
    new = fresh_table(projection)
    copy = dataclasses.replace(projection, name=f"{projection.name}~rebuild", table=new)
    with pool.connection() as conn, conn.transaction():
        _forget(conn, copy.name)
        conn.execute(projection.ddl(new))
    target = heads()
    members = Members(make_runner, copy, pool, shares(target, processes))
    try:
        members.start()
        _catch_up(pool, copy.name, target, on_progress, members, stall_timeout)
        old = _switch(pool, projection, copy, new, members, switch_timeout)
    except BaseException:
        members.end()
        with pool.connection() as conn, conn.transaction():
            _forget(conn, copy.name)
            conn.execute(f"DROP TABLE IF EXISTS {', '.join(projection.tables(new))}")
        raise
    if not keep_old and old != new:
        # A query that read the registry just before the switch may still be reading the old copy.
        time.sleep(drop_after)
        with pool.connection() as conn, conn.transaction():
            conn.execute(f"DROP TABLE IF EXISTS {', '.join(projection.tables(old))}")
    return new


def _catch_up(pool, consumer: str, target: Heads, on_progress: Progress, members: Members,
              stall_timeout: float) -> None:
    total = sum(end - first for first, end in target.values())
    progress_at, last_done = time.monotonic(), None
    while not members.stop.is_set():
        with pool.connection() as conn:
            read = stored_positions(conn, consumer)
        done = sum(min(read.get(tp, first - 1) + 1, end) - first for tp, (first, end) in target.items())
        on_progress(max(done, 0), total)
        if done >= total:
            return
        if done != last_done:
            progress_at, last_done = time.monotonic(), done
        if (failure := members.failure()) is not None:
            raise RebuildFailed(failure)
        if time.monotonic() - progress_at > stall_timeout:  # an outage, or a member stuck (in a fork, say)
            outage = members.last_outage
            raise RebuildFailed(f"{consumer} made no progress for {stall_timeout:.0f} s"
                                + (f": {outage}" if outage is not None else ""))
        time.sleep(0.2)


def _switch(pool, projection, copy, new, members: Members, timeout: float) -> str:
    with pool.connection() as conn, conn.transaction():
        old = active_table(conn, projection, "FOR UPDATE")
        deadline = time.monotonic() + timeout
        while not _covers(stored_positions(conn, copy.name), stored_positions(conn, projection.name)):
            if time.monotonic() > deadline:
                raise RebuildFailed(f"{copy.name} did not reach the live positions in {timeout:.0f}s")
            time.sleep(0.1)
        # Stop the copy's runner before handing its rows over: a batch committed after the hand-over
        # would stay under the copy's name and be applied a second time by the live runner.
        members.end()
        conn.execute("DELETE FROM processed_events WHERE consumer = %s", (projection.name,))
        conn.execute("DELETE FROM consumer_positions WHERE consumer = %s", (projection.name,))
        conn.execute("UPDATE processed_events SET consumer = %s WHERE consumer = %s", (projection.name, copy.name))
        conn.execute("UPDATE consumer_positions SET consumer = %s WHERE consumer = %s", (projection.name, copy.name))
        switch(conn, projection, new)
    return old


def _covers(copy: dict, live: dict) -> bool:
    return all(copy.get(tp, -1) >= offset for tp, offset in live.items())


def _forget(conn, consumer: str) -> None:
    conn.execute("DELETE FROM processed_events WHERE consumer = %s", (consumer,))
    conn.execute("DELETE FROM consumer_positions WHERE consumer = %s", (consumer,))
