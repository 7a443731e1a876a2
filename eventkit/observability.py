"""Wire a web app for operations in one call: JSON logs, /metrics, /health/live and /health/ready.

Call it in create_app after `requests.init_app` (it reads the correlation id and traceparent that
sets on each request).
"""
from __future__ import annotations

import os
import socket
import time

from flask import Flask, Response, g, request

from . import health, logs, metrics, readiness, telemetry
from .requests import route_template


def init_app(app: Flask, service: str, pool, kafka_bootstrap: str | None = None,
             ready_tables=readiness.COMMAND_TABLES) -> None:
    logs.configure(service, app.config.get("LOG_LEVEL", "INFO"))
    telemetry.configure(service)
    telemetry.instrument_app(app)
    logs.init_app(app, service)
    health.init_app(app, pool, kafka_bootstrap, ready_tables)
    _measure_requests(app, service)
    registry = metrics.registry_for(pool, service)

    @app.get("/metrics")
    def prometheus():
        # content_type, not mimetype: Flask appends a second charset to a mimetype.
        return Response(metrics.exposition(registry), content_type=metrics.CONTENT_TYPE)


def init_worker(service: str, level: str = "INFO") -> None:
    """Wire a worker process for operations: JSON logs and, when OTEL_* asks, exported spans.

    Its database sessions carry an application name (PGAPPNAME, unless set) naming the process, so
    that `python -m ops lag` and portico_relay_leader can say which replica's relay holds the lock."""
    os.environ.setdefault("PGAPPNAME", f"{service}-worker@{socket.gethostname()}:{os.getpid()}")
    logs.configure(service, level)
    telemetry.configure(service)


def _measure_requests(app: Flask, service: str) -> None:
    @app.before_request
    def _start():
        g.started = time.perf_counter()

    @app.after_request
    def _observe(response):
        if "started" not in g or request.path == "/metrics":
            return response
        # The route template, not the path: one series per endpoint, not one per customer.
        route = route_template("unmatched")
        labels = dict(service=service, method=request.method, route=route, status=str(response.status_code))
        metrics.HTTP_LATENCY.labels(**labels).observe(time.perf_counter() - g.started)
        if response.status_code >= 400:
            code = _problem_code(response)
            metrics.HTTP_ERRORS.labels(**labels, code=code).inc()
        return response


def _problem_code(response) -> str:
    if response.mimetype == "application/problem+json":
        body = response.get_json(silent=True) or {}
        return str(body.get("code", "unknown"))
    return "none"
