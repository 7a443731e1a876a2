"""Which tables serve a request's reads: the registry asked once, in one statement, for the projections
a documents request reads (the caller's user and session, the documents), the first time one is needed.

The registry's question shares its round trip with the caller's user and session (asked_on_serving): those
are asked of the tables the registry named last in this process, and asked again only when its answer
differs (a rebuild switched a table since) or a table named last is gone. A list paid three round trips
before; this saves one, a tenth of the web's time per request.

A request that waits for its own writes (`after`) forgets them: a rebuild may switch a table while it waits,
and the table read after the wait must be the one that serves then.
"""
from __future__ import annotations

from typing import Callable, Sequence, TypeVar

import psycopg
from flask import current_app, g

from eventkit.projection import Projection
from eventkit.projection_tables import active_table, ask_active_tables

from ..adapters.projections.documents import PROJECTION as DOCUMENTS
from ..adapters.projections.users import PROJECTION as USERS
from .request_connection import connection

T = TypeVar("T")
_named: dict[str, str] = {}  # the tables the registry named last in this process: the next request's guess


def serving(*projections: Projection) -> list[str]:
    """The tables serving these projections for this request, in their order."""
    if g.get("serving_tables") is None:
        _ask_registry(connection())()
    tables = g.serving_tables
    return [tables[p.name] if p.name in tables else active_table(connection(), p) for p in projections]


def asked_on_serving(projections: Sequence[Projection], ask: Callable[[list[str]], T]) -> T:
    """`ask(tables)` sends questions about the tables serving `projections` and returns what reads their
    answers; sent in the registry's own round trip, on the tables it named last, and sent again on the
    tables it names now if those differ."""
    conn = connection()
    guess = [_named.get(p.name) for p in projections]
    if g.get("serving_tables") is None and None not in guess:
        try:
            with conn.pipeline():
                named = _ask_registry(conn)
                answers = ask(guess)
            named()
            if serving(*projections) == guess:
                return answers
        except psycopg.errors.UndefinedTable:  # a table named last was dropped since (after a rebuild)
            forget()
    tables = serving(*projections)
    with conn.pipeline():
        return ask(tables)


def forget() -> None:
    """Ask the registry again at the next read: the request waited, and a table may have switched meanwhile."""
    g.pop("serving_tables", None)


def _ask_registry(conn) -> Callable[[], None]:
    """The registry's question for every table a request reads; its answer, once read, is the request's view."""
    read = [USERS, current_app.extensions["documents"].ended_sessions, DOCUMENTS]
    asked = ask_active_tables(conn, read)

    def answer() -> None:
        g.serving_tables = dict(zip((p.name for p in read), asked()))
        _named.update(g.serving_tables)
    return answer
