"""Which tables serve a request's reads: the registry asked once, in one statement, for the projections
a documents request reads (the caller's user and session, the documents), the first time one is needed.

A request that waits for its own writes (`after`) forgets them: a rebuild may switch a table while it waits,
and the table read after the wait must be the one that serves then.
"""
from __future__ import annotations

from flask import current_app, g

from eventkit.projection import Projection
from eventkit.projection_tables import active_table, active_tables

from ..adapters.projections.documents import PROJECTION as DOCUMENTS
from ..adapters.projections.users import PROJECTION as USERS
from .request_connection import connection


def serving(*projections: Projection) -> list[str]:
    """The tables serving these projections for this request, in their order."""
    tables = g.get("serving_tables")
    if tables is None:
        read = [USERS, current_app.extensions["documents"].ended_sessions, DOCUMENTS]
        tables = g.serving_tables = dict(zip((p.name for p in read), active_tables(connection(), read)))
    return [tables[p.name] if p.name in tables else active_table(connection(), p) for p in projections]


def forget() -> None:
    """Ask the registry again at the next read: the request waited, and a table may have switched meanwhile."""
    g.pop("serving_tables", None)
