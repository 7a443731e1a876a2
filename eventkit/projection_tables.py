"""Which copy of each projection's table serves: the `projection_tables` registry.

The query side asks `active_table()` on every read (`active_tables()` for several projections in one
statement); the consumer runner asks it (with a share lock) at the start of every batch, so a rebuild's
switch, which takes the row's update lock, happens between two batches and never in the middle of one.
"""
from __future__ import annotations

from typing import Callable, Iterable

import psycopg
from psycopg.rows import tuple_row

from .projection import Projection

_NAME = "SELECT active_table FROM projection_tables WHERE name = %s"
_NAMES = "SELECT name, active_table FROM projection_tables WHERE name = ANY(%s)"


def install(conn: psycopg.Connection, projections: Iterable[Projection]) -> None:
    """Register each projection's table unless it is registered, and create the serving copy."""
    for projection in projections:
        conn.execute("INSERT INTO projection_tables (name, active_table) VALUES (%s, %s)"
                     " ON CONFLICT (name) DO NOTHING", (projection.name, projection.table))
        if projection.schema:
            conn.execute(projection.ddl(active_table(conn, projection)))


def active_table(conn: psycopg.Connection, projection: Projection, lock: str = "") -> str:
    """The table serving this projection; `lock` is '', 'FOR SHARE' or 'FOR UPDATE'."""
    assert lock in ("", "FOR SHARE", "FOR UPDATE")
    row = conn.execute(f"{_NAME} {lock}", (projection.name,)).fetchone()
    if row is None:
        return projection.table
    return row["active_table"] if isinstance(row, dict) else row[0]


def active_tables(conn: psycopg.Connection, projections: Iterable[Projection], lock: str = "") -> list[str]:
    """The tables serving these projections, in their order, from one statement (a reader of several);
    `lock` as for active_table."""
    return ask_active_tables(conn, projections, lock)()


def ask_active_tables(conn: psycopg.Connection, projections: Iterable[Projection],
                      lock: str = "") -> Callable[[], list[str]]:
    """active_tables' question sent; its answer read when the returned function is called, so that the
    statements after it can go in the same pipelined round trip."""
    assert lock in ("", "FOR SHARE", "FOR UPDATE")
    projections = list(projections)
    asked = conn.cursor(row_factory=tuple_row).execute(f"{_NAMES} {lock}", ([p.name for p in projections],))

    def answer() -> list[str]:
        serving_now = dict(asked.fetchall())
        asked.close()
        return [serving_now.get(p.name, p.table) for p in projections]
    return answer


def serving(conn: psycopg.Connection, projection: Projection, lock: str = "") -> Projection:
    """The projection bound to the table that serves it now."""
    return projection.on_table(active_table(conn, projection, lock))


def switch(conn: psycopg.Connection, projection: Projection, table: str) -> None:
    """Make `table` serve; the caller holds the row's update lock and commits."""
    conn.execute("INSERT INTO projection_tables (name, active_table) VALUES (%s, %s)"
                 " ON CONFLICT (name) DO UPDATE SET active_table = EXCLUDED.active_table, switched_at = now()",
                 (projection.name, table))
