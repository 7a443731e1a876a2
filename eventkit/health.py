"""Liveness and readiness: alive means the process answers; ready means its database answers."""
from __future__ import annotations

import psycopg
from flask import Flask, jsonify
from psycopg_pool import ConnectionPool


def init_app(app: Flask, pool: ConnectionPool) -> None:
    @app.get("/health/live")
    def live():
        return jsonify(status="ok")

    @app.get("/health/ready")
    def ready():
        try:
            with pool.connection(timeout=2) as conn:
                conn.execute("SELECT 1")
        except (psycopg.OperationalError, TimeoutError, Exception) as error:
            body = {"status": "unavailable", "checks": {"database": f"unreachable: {type(error).__name__}"}}
            return jsonify(body), 503
        return jsonify(status="ok", checks={"database": "ok"})
