"""Projections as data: each event type maps to a reducer that returns the statements to run.

Reducers never touch the database, so a projection test is a table: an event in, statements out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from .envelope import StoredEvent


@dataclass(frozen=True)
class Statement:
    sql: str
    params: Mapping[str, Any] | Sequence[Any] = ()


Reducer = Callable[[StoredEvent], Sequence[Statement]]


@dataclass(frozen=True)
class Projection:
    """A read model: its name (also its consumer group), the topics it reads, and its reducers."""

    name: str
    topics: Sequence[str]
    reducers: Mapping[str, Reducer]
    tables: Sequence[str] = field(default_factory=tuple)

    def statements_for(self, event: StoredEvent) -> Sequence[Statement]:
        reducer = self.reducers.get(event.type)
        return reducer(event) if reducer else ()

    def handles(self, event_type: str) -> bool:
        return event_type in self.reducers
