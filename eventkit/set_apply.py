"""Apply the rows a batch of events contributes in sets: a few statements, not one per event.

The one ordering rule lives here. Rows are chained by key in stream order; two consecutive rows of
one statement for one key fold into one where the statement declares a merge (last write wins, a
sum). The n-th row of every chain forms round n: within a round no two rows share a key, so the
statements of a round touch disjoint rows and each statement's rows go in one set-based statement,
and rounds run in order. That gives the same table as applying the events one by one
(tests/unit/test_set_apply.py proves it over random event sequences).

The rows travel as one jsonb parameter read by `jsonb_to_recordset` rather than by COPY into a
staging table: COPY cannot share a pipeline, and a session's staging tables vanish with a rolled-back
transaction; one parameter lets every statement of the batch, its processed events and its offsets
go to the server in one pipelined round trip.
"""
from __future__ import annotations

from typing import Any, Iterable, Mapping, Sequence

import orjson
import psycopg

from .envelope import StoredEvent
from .projection import Projection, Row, Statement

Round = list[tuple[Statement, list[Mapping[str, Any]]]]


def plan(rows: Iterable[Row]) -> tuple[list[Round], list[Statement]]:
    """The rounds of set-based statements for rows in stream order, and the statements run once."""
    chains: dict[tuple, list[Row]] = {}
    once: list[Statement] = []
    for row in rows:
        statement = row.statement
        if not statement.columns:
            if all(statement is not s for s in once):
                once.append(statement)
            continue
        chain = chains.setdefault(row.key, [])
        if chain and chain[-1].statement is statement and statement.merge is not None:
            chain[-1] = Row(statement, statement.merge(chain[-1].values, row.values))
        else:
            chain.append(row)
    rounds: list[dict[int, tuple[Statement, list]]] = []
    for chain in chains.values():
        for n, row in enumerate(chain):
            if n == len(rounds):
                rounds.append({})
            rounds[n].setdefault(id(row.statement), (row.statement, []))[1].append(row.values)
    return [list(r.values()) for r in rounds], once


def sql_of(statement: Statement, table: str) -> str:
    """The statement for one table, `{rows}` read from the jsonb parameter `rows`."""
    columns = ", ".join(f"{name} {kind}" for name, kind in statement.columns.items())
    return (statement.sql.replace("{table}", table)
            .replace("{rows}", f"jsonb_to_recordset(%(rows)s::jsonb) AS rows({columns})"))


def encode(values: Sequence[Mapping[str, Any]]) -> str:
    return orjson.dumps(values, default=str).decode()


def execute(conn: psycopg.Connection, table: str, rows: Iterable[Row]) -> None:
    """Send the rows' statements to the connection (inside the caller's transaction and pipeline)."""
    rounds, once = plan(rows)
    for round_ in rounds:
        for statement, values in round_:
            conn.execute(sql_of(statement, table), {"rows": encode(values)})
    for statement in once:
        conn.execute(statement.sql.replace("{table}", table))


def apply_events(conn: psycopg.Connection, projection: Projection, events: Iterable[StoredEvent]) -> None:
    """Apply events to the projection's table in sets (for tests, benchmarks and tools: no tracking)."""
    with conn.pipeline():
        execute(conn, projection.table, (row for event in events for row in projection.rows_for(event)))
