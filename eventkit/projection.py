"""Projections as data: each event type maps to a reducer that returns the statements to run.

Reducers never touch the database, so a projection test is a table: an event in, statements out.
A reducer is given the table to write, because a projection can be rebuilt into a fresh copy of its
table beside the one serving (see eventkit/projection_tables.py): the registry says which serves.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, Mapping, Sequence

from .envelope import StoredEvent


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Mapping[str, Any] | Sequence[Any] = ()


Reducer = Callable[[StoredEvent, str], Sequence[Statement]]  # (event, table) -> statements


@dataclass(frozen=True)
class Projection:
    """A read model: its name (also its consumer group), the topics it reads, its reducers, the
    table they write (versioned, e.g. `candidates_v1`) and that table's DDL with `{table}` for its name."""

    name: str
    topics: Sequence[str]
    reducers: Mapping[str, Reducer]
    table: str
    schema: str = ""

    def statements_for(self, event: StoredEvent) -> Sequence[Statement]:
        reducer = self.reducers.get(event.type)
        return reducer(event, self.table) if reducer else ()

    def handles(self, event_type: str) -> bool:
        return event_type in self.reducers

    def on_table(self, table: str) -> "Projection":
        """The same projection writing another copy of its table."""
        return replace(self, table=table)

    def ddl(self, table: str | None = None) -> str:
        """The statements that create a copy of the table (idempotent: IF NOT EXISTS)."""
        # str.replace, not str.format: DDL is full of braces ('{}' array defaults).
        return self.schema.replace("{table}", table or self.table)
