"""Projections as data: each event type maps to a reducer that returns the rows the event contributes.

A projection declares its statements once, each set-based SQL over `{rows}` (the batch's rows for it,
with the columns it names) writing `{table}`; a reducer returns `STATEMENT.row(...)` values and never
touches the database, so a projection test is a table: events in, rows out. The kit (eventkit/
set_apply.py) groups a batch's rows by statement and runs each group once. A projection can be rebuilt
into a fresh copy of its table beside the one serving (eventkit/projection_tables.py), so `{table}` is
filled in by whoever applies the rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Callable, Mapping, Sequence

from .envelope import StoredEvent

Merge = Callable[[Mapping[str, Any], Mapping[str, Any]], Mapping[str, Any]]  # (older, newer) -> one row


def last_write_wins(older: Mapping[str, Any], newer: Mapping[str, Any]) -> Mapping[str, Any]:
    """Two rows of one statement for one key: the newer alone has the same effect as both in order."""
    return newer


@dataclass(frozen=True, eq=False)  # a statement is itself: rows group by identity
class Statement:
    """One set-based statement: `sql` reads `{rows}` (columns: name -> PostgreSQL type), writes `{table}`.

    `key` names the columns that say which rows of the table a row touches: two rows of one batch with
    the same key (in any statement of the projection) are applied in stream order. Rows of different
    keys may be applied in any order, so the key must cover every row a statement reads, writes or may
    conflict with (a unique token belongs to one invitation: the invitation is the key). `merge`, if given,
    folds two consecutive rows of this statement for one key into one. A statement with no columns
    (a NOTIFY) runs once per batch, after the rows, if any event asked for it.
    """

    sql: str
    columns: Mapping[str, str] = field(default_factory=dict)
    key: Sequence[str] = ()
    merge: Merge | None = None

    def __post_init__(self):
        if self.columns and not self.key:
            raise ValueError("a statement with rows names their key: which rows of the table each one touches")

    def row(self, **values: Any) -> "Row":
        unknown = set(values) - set(self.columns)
        if unknown:
            raise ValueError(f"columns not in the statement: {sorted(unknown)}")
        return Row(self, values)

    def on(self) -> "Row":
        """The row of a statement without columns (a NOTIFY)."""
        return Row(self, {})


@dataclass(frozen=True)
class Row:
    """What one event contributes to one statement."""

    statement: Statement
    values: Mapping[str, Any]

    @property
    def key(self) -> tuple:
        return tuple(str(self.values.get(column)) for column in self.statement.key)


Reducer = Callable[[StoredEvent], Sequence[Row]]


@dataclass(frozen=True)
class Projection:
    """A read model: its name (also its consumer group), the topics it reads, its reducers, the
    table they write (versioned, e.g. `candidates_v1`) and that table's DDL with `{table}` for its name."""

    name: str
    topics: Sequence[str]
    reducers: Mapping[str, Reducer]
    table: str
    schema: str = ""
    # Tables its schema makes beside the table, named from it ("{table}_counts"): dropped with their table.
    companions: Sequence[str] = ()

    def tables(self, table: str | None = None) -> list[str]:
        """A copy of the table and its companions, the companions first (what dropping the copy drops)."""
        table = table or self.table
        return [c.replace("{table}", table) for c in self.companions] + [table]

    def rows_for(self, event: StoredEvent) -> Sequence[Row]:
        reducer = self.reducers.get(event.type)
        return reducer(event) if reducer else ()

    def handles(self, event_type: str) -> bool:
        return event_type in self.reducers

    def on_table(self, table: str) -> "Projection":
        """The same projection writing another copy of its table."""
        return replace(self, table=table)

    def ddl(self, table: str | None = None) -> str:
        """The statements that create a copy of the table (idempotent: IF NOT EXISTS)."""
        # str.replace, not str.format: DDL is full of braces ('{}' array defaults).
        return self.schema.replace("{table}", table or self.table)


def merge_changes(older: Mapping[str, Any], newer: Mapping[str, Any]) -> Mapping[str, Any]:
    """Two partial changes of one row (a `changes` jsonb column): the fields of both, the newer's win."""
    return {**newer, "changes": {**older["changes"], **newer["changes"]}}


def assign_changed(columns: Mapping[str, str]) -> str:
    """SET assignments taking each column from `rows.changes` when the change names it, else keeping
    the row's (`t`) value; columns: name -> 'text', 'text[]' or 'jsonb'."""
    def value(name: str, kind: str) -> str:
        field = f"rows.changes->'{name}'"
        if kind == "text[]":
            return (f"CASE WHEN jsonb_typeof({field}) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text({field}))"
                    " ELSE '{}' END")
        if kind == "jsonb":
            return f"nullif({field}, 'null'::jsonb)"
        return f"rows.changes->>'{name}'"
    return ", ".join(f"{name} = CASE WHEN rows.changes ? '{name}' THEN {value(name, kind)} ELSE t.{name} END"
                     for name, kind in columns.items())
