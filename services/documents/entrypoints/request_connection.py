"""One pooled connection per request: borrowed at its first query, given back when the request ends.

A list answered its caller's identity, its count and its page from two or three borrowings of the pool;
one is enough, and under load each borrowing was a wait of its own.

The request's connection only reads (a command writes through its unit of work), so it runs in autocommit:
each statement reads its own snapshot, exactly as it would inside a READ COMMITTED transaction, without the
BEGIN and COMMIT round trips a list paid for. It is given back to the pool as it was lent.
"""
from __future__ import annotations

from contextlib import ExitStack

import psycopg
from flask import Flask, current_app, g


def connection():
    """The request's connection, for its reads (in autocommit, given back when the request ends)."""
    if "connection" not in g:
        g.connection_lease = ExitStack()
        conn = g.connection_lease.enter_context(current_app.extensions["documents"].pool.connection())
        conn.autocommit = True
        g.connection_lease.callback(_lent_as_it_was, conn)  # runs before the pool takes it back
        g.connection = conn
    return g.connection


def _lent_as_it_was(conn) -> None:
    try:
        conn.autocommit = False
    except psycopg.Error:  # broken or cut off mid-statement: the pool discards it rather than lend it again
        pass


def init_app(app: Flask) -> None:
    @app.teardown_request
    def give_back(error: BaseException | None) -> None:
        lease = g.pop("connection_lease", None)
        g.pop("connection", None)
        if lease is not None:
            lease.__exit__(type(error) if error else None, error, error.__traceback__ if error else None)
