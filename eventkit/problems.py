"""RFC 9457 problem details for every error a Portico API returns.

Each problem has a stable `code` (grep-able across services), the HTTP status, a human `detail`,
and for invalid input an `errors` list naming each field by JSON Pointer.
"""
from __future__ import annotations

import logging
from urllib.parse import quote

import psycopg
from flask import Flask, Response, json, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException

from .errors import ConcurrencyConflict
from .key_release import KeyReleaseUnavailable

log = logging.getLogger(__name__)
MEDIA_TYPE = "application/problem+json"


class Problem(Exception):
    """Raise from a handler to answer with a problem body."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", errors: list | None = None,
                 headers: dict | None = None, **extensions):
        super().__init__(detail or title)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.errors, self.headers, self.extensions = errors, headers or {}, extensions


def problem_response(problem: Problem) -> Response:
    body = {
        "type": f"urn:portico:problem:{problem.code}",
        "title": problem.title,
        "status": problem.status,
        "code": problem.code,
    }
    if problem.detail:
        body["detail"] = problem.detail
    body["instance"] = quote(request.path, safe="/")  # RFC 9457: a URI reference, so a raw é is escaped
    if problem.errors:
        body["errors"] = problem.errors
    body.update(problem.extensions)
    response = Response(json.dumps(body), status=problem.status, mimetype=MEDIA_TYPE)
    response.headers.update(problem.headers)
    return response


def field_errors(messages, prefix: str = "") -> list[dict]:
    """Flatten marshmallow's nested messages into [{field, pointer, detail}], one per message."""
    flat = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix
            flat.extend(field_errors(value, name))
    elif isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        pointer = "/" + prefix.replace(".", "/") if prefix else ""
        flat.extend({"field": prefix or None, "pointer": f"#{pointer}", "detail": m} for m in messages)
    elif isinstance(messages, list):
        for m in messages:
            flat.extend(field_errors(m, prefix))
    else:
        flat.append({"field": prefix or None, "pointer": "#/" + prefix.replace(".", "/"), "detail": str(messages)})
    return flat


def validation_problem(error: ValidationError) -> Problem:
    errors = field_errors(error.messages)
    fields = ", ".join(sorted({e["field"] for e in errors if e["field"]})) or "the request body"
    return Problem(400, "request.invalid", "Invalid request", f"Check these fields: {fields}.", errors)


def init_app(app: Flask) -> None:
    """Answer every error with a problem body; never leak a stack trace."""

    @app.errorhandler(Problem)
    def _problem(error: Problem):
        return problem_response(error)

    @app.errorhandler(ValidationError)
    def _invalid(error: ValidationError):
        return problem_response(validation_problem(error))

    @app.errorhandler(ConcurrencyConflict)
    def _conflict(error: ConcurrencyConflict):
        return problem_response(Problem(
            409, error.code, "Changed by someone else",
            f"{error}. Read it again and retry with expected_version {error.actual}.",
            current_version=error.actual,
        ))

    @app.errorhandler(psycopg.OperationalError)
    def _database_away(error):
        log.warning("database unavailable: %s", error)
        return problem_response(Problem(503, "service.database_unavailable", "Try again shortly",
                                        "The database is not answering; nothing was changed.",
                                        headers={"Retry-After": "5"}))

    @app.errorhandler(KeyReleaseUnavailable)
    def _key_release_away(error):
        log.warning("key release unavailable: %s", error)
        return problem_response(Problem(503, "service.key_release_unavailable", "Try again shortly",
                                        "People's data keys cannot be had from identity now; nothing was changed.",
                                        headers={"Retry-After": "5"}))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException):
        code = {400: "request.malformed", 404: "resource.not_found", 405: "request.method_not_allowed",
                413: "request.too_large", 415: "request.unsupported_media_type"}.get(error.code, "http.error")
        # The exception's own headers, such as a 405's Allow (RFC 9110 15.5.6), but not its HTML type.
        headers = {k: v for k, v in error.get_headers() if k.lower() != "content-type"}
        return problem_response(Problem(error.code or 500, code, error.name, error.description or "",
                                        headers=headers))

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        log.exception("unhandled error")
        return problem_response(Problem(500, "server.error", "Internal error",
                                        "Something broke on our side; it was logged."))


def register_domain_errors(app: Flask, base: type[Exception]) -> None:
    """Answer a service's domain errors (with code, status, title, optional field) as problems."""

    @app.errorhandler(base)
    def _domain(error):
        field = getattr(error, "field", None)
        errors = [{"field": field, "pointer": f"#/{field}", "detail": str(error)}] if field else None
        return problem_response(Problem(error.status, error.code, error.title, str(error), errors))
