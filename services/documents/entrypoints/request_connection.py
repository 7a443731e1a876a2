"""One pooled connection per request: borrowed at its first query, given back when the request ends.

A list answered its caller's identity, its count and its page from two or three borrowings of the pool;
one is enough, and under load each borrowing was a wait of its own.
"""
from __future__ import annotations

from contextlib import ExitStack

from flask import Flask, current_app, g


def connection():
    """The request's connection (a transaction of reads, ended when the request is)."""
    if "connection" not in g:
        g.connection_lease = ExitStack()
        g.connection = g.connection_lease.enter_context(current_app.extensions["documents"].pool.connection())
    return g.connection


def init_app(app: Flask) -> None:
    @app.teardown_request
    def give_back(error: BaseException | None) -> None:
        lease = g.pop("connection_lease", None)
        g.pop("connection", None)
        if lease is not None:  # rolled back if the request failed, committed otherwise
            lease.__exit__(type(error) if error else None, error, error.__traceback__ if error else None)
