"""Liveness and readiness: alive means the process answers; ready means its dependencies answer.

/health/ready names the unreachable dependency (database, broker) in a 503, so an operator can tell
"PostgreSQL is away" from "the service is broken" (then /health/live fails or requests get 500s).
`?check=database` restricts it: a web app keeps taking commands while the broker is away (the
outbox holds them), so its load-balancer probe asks only for the database.
"""
from __future__ import annotations

from flask import Flask, jsonify, request
from psycopg_pool import ConnectionPool

from . import readiness


def init_app(app: Flask, pool: ConnectionPool, kafka_bootstrap: str | None = None,
             ready_tables=readiness.COMMAND_TABLES) -> None:
    """`ready_tables`: what the service's commands write (identity adds what a login needs)."""
    checks = {"database": readiness.database(pool, ready_tables)}
    if kafka_bootstrap:
        checks["broker"] = readiness.broker(kafka_bootstrap)

    @app.get("/health/live")
    def live():
        return jsonify(status="ok")

    @app.get("/health/ready")
    def ready():
        only = set(request.args.getlist("check")) or None
        body, status = readiness.report(checks, only)
        return jsonify(body), status
