"""One pooled connection per request: borrowed at its first query, given back when the request ends.

A list answered its caller's identity, its count and its page from two or three borrowings of the pool;
one is enough, and under load each borrowing was a wait of its own.

The request's connection only reads (a command writes through its unit of work), so it runs in autocommit:
each statement reads its own snapshot, exactly as it would inside a READ COMMITTED transaction, without the
BEGIN and COMMIT round trips a list paid for. It goes back to the pool transactional, as it was lent.
"""
from __future__ import annotations

from contextlib import ExitStack

import psycopg
from flask import Flask, current_app, g


def connection():
    """The request's connection, for its reads (in autocommit, given back when the request ends)."""
    if "connection" not in g:
        lease = ExitStack()
        conn = lease.enter_context(current_app.extensions["documents"].pool.connection())
        lease.callback(_as_lent, conn)  # runs first, before the pool takes it back
        try:
            conn.autocommit = True
        except BaseException:
            lease.close()
            raise
        g.connection_lease, g.connection = lease, conn
    return g.connection


def _as_lent(conn) -> None:
    """Transactional again, as the pool lent it; one that cannot be is closed, and the pool replaces it."""
    try:
        conn.autocommit = False
    except psycopg.Error:
        conn.close()


def init_app(app: Flask) -> None:
    @app.teardown_request
    def give_back(error: BaseException | None) -> None:
        lease = g.pop("connection_lease", None)
        g.pop("connection", None)
        if lease is not None:
            lease.__exit__(type(error) if error else None, error, error.__traceback__ if error else None)
