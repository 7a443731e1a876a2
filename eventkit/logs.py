"""Structured logs: one JSON object per line, with the request's or the consumed event's context.

structlog renders every line, including those of libraries that use stdlib logging, so a grep for a
correlation id or trace id finds the API's lines and every consumer's alike. Context is bound in
contextvars: per request by `init_app`, per consumed event by the consumer runner.
"""
from __future__ import annotations

import logging
import os
import sys

import structlog
from flask import Flask, g, request

from .requests import route_template

_SHARED = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def configure(service: str, level: str = "INFO", stream=None) -> None:
    """Route all logging through structlog's JSON renderer; call once at start-up."""
    structlog.configure(
        processors=[*_SHARED, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or sys.stdout)
    handler.setFormatter(json_formatter(service))
    handler.set_name("portico-json")
    root = logging.getLogger()
    for old in [h for h in root.handlers if h.get_name() == "portico-json"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("kafka").setLevel(logging.WARNING)  # its INFO lines are per connection attempt
    # A library's Python warning (a deprecation, a SecurityWarning) is a log line like any other, in JSON,
    # not bare text on stderr that a log collector cannot parse.
    logging.captureWarnings(True)


def json_formatter(service: str) -> logging.Formatter:
    """Render any log record, structlog's or a library's, as one JSON object."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*_SHARED, structlog.stdlib.ExtraAdder()],
        processors=[
            _add_service(service),
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer(default=str),
        ],
    )


def gunicorn_formatter() -> logging.Formatter:
    """For deploy/gunicorn-logging.json: gunicorn's own lines (start, workers, errors) as JSON too."""
    return json_formatter(os.environ.get("PORTICO_SERVICE_NAME", "gunicorn"))


def _add_service(service: str):
    def add(_, __, event_dict):
        event_dict.setdefault("service", service)
        return event_dict
    return add


def trace_fields(traceparent: str | None) -> dict:
    """trace_id and span_id out of a W3C traceparent (version-traceid-spanid-flags)."""
    parts = (traceparent or "").split("-")
    return {"trace_id": parts[1], "span_id": parts[2]} if len(parts) == 4 else {}


def init_app(app: Flask, service: str) -> None:
    """Bind each request's correlation id, tenant and trace to every line logged while serving it,
    and log the request itself (instead of gunicorn's plain-text access log)."""
    log = structlog.get_logger("portico.request")

    @app.before_request
    def _bind():
        structlog.contextvars.clear_contextvars()
        structlog.contextvars.bind_contextvars(
            service=service, correlation_id=str(g.get("correlation_id", "")),
            tenant=(request.view_args or {}).get("tenant_id"),
            **trace_fields(g.get("traceparent")))

    @app.after_request
    def _request_line(response):
        if request.path != "/metrics" and not request.path.startswith("/health/"):
            log.info("request", method=request.method, path=request.path, status=response.status_code,
                     route=route_template())
        return response

    @app.teardown_request
    def _unbind(_error=None):
        structlog.contextvars.clear_contextvars()
