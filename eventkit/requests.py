"""Request-scoped metadata: correlation id, W3C trace context and the acting user."""
from __future__ import annotations

import re
import secrets
import uuid

from flask import Flask, g, request

from . import json_bodies, storable_text, telemetry
from .envelope import Metadata

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_CONVERTER = re.compile(r"<[^<>:]+:([^<>]+)>")


def route_template(default: str | None = None) -> str | None:
    """The request's route as a path template, `/customers/<code>`, whatever converter checks its variables:
    one log field and metric series per endpoint, named as its OpenAPI path names it."""
    return _CONVERTER.sub(r"<\1>", request.url_rule.rule) if request.url_rule else default


def _traceparent(header: str | None) -> str:
    """Continue the caller's trace with a new span id, or start a new trace (W3C trace context)."""
    match = _TRACEPARENT.fullmatch(header or "")
    trace_id = match.group(1) if match and match.group(1) != "0" * 32 else secrets.token_hex(16)
    flags = match.group(3) if match else "01"
    return f"00-{trace_id}-{secrets.token_hex(8)}-{flags}"


def _correlation_id(header: str | None) -> uuid.UUID:
    try:
        return uuid.UUID(header) if header else uuid.uuid4()
    except ValueError:
        return uuid.uuid4()


def init_app(app: Flask) -> None:
    @app.before_request
    def _context():
        g.correlation_id = _correlation_id(request.headers.get("X-Correlation-ID"))
        # The server span's own context when tracing is on (its instrumentation read the header first).
        g.traceparent = telemetry.current_traceparent() or _traceparent(request.headers.get("traceparent"))

    @app.before_request
    def _json_limits():
        """Before anything parses a JSON body: not nested deeper than MAX_DEPTH."""
        json_bodies.check(request, app.config.get("MAX_JSON_DEPTH", json_bodies.MAX_DEPTH))

    @app.before_request
    def _storable_text():
        """Refuse, with a 400 naming the field, any string PostgreSQL could not store."""
        errors = [*storable_text.problems(request.view_args or {}), *storable_text.problems(request.args.to_dict())]
        if request.is_json:
            errors += storable_text.problems(request.get_json(silent=True, cache=True))
        if errors:
            from .problems import Problem
            raise Problem(400, "request.invalid", "Invalid request",
                          "A value holds characters that cannot be stored.", errors)

    @app.after_request
    def _echo(response):
        if "correlation_id" in g:
            response.headers["X-Correlation-ID"] = str(g.correlation_id)
            response.headers["traceparent"] = g.traceparent
        return response


def metadata(tenant_id: str, actor: str) -> Metadata:
    """The metadata every event appended during this request carries."""
    return Metadata(tenant_id=tenant_id, actor=actor, correlation_id=g.correlation_id,
                    traceparent=g.traceparent)


_TENANT = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")


def tenant() -> str:
    """The tenant (the distributor running the portal) named in the URL, checked for shape."""
    from .problems import Problem

    tenant_id = (request.view_args or {}).get("tenant_id", "")
    if not _TENANT.fullmatch(tenant_id):
        raise Problem(404, "tenant.not_found", "No such tenant",
                      "Tenant ids are lower-case letters, digits and dashes.")
    return tenant_id
