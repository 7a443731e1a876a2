"""Request helpers for the invitations API: the JSON body, and who is calling."""
from __future__ import annotations

from flask import Flask, current_app, g, request

from eventkit.auth import bearer_claims, refuse_revoked
from eventkit.callers import current_caller
from eventkit.problems import Problem
from eventkit.requests import metadata, tenant

from ..domain.caller import Caller


def service():
    return current_app.extensions["invitations"]


def public(view):
    """Mark a view reachable without an access token (the invited customer's link)."""
    view.public = True
    return view


def caller() -> Caller:
    """The user of the request's access token (verified with identity's JWKS), for this tenant, with the
    roles this service's projection knows now; 401 auth.token_revoked once logged out, disabled or deleted."""
    if "caller" not in g:
        claims = bearer_claims(service().verifier, tenant())
        with service().pool.connection() as conn:
            now = current_caller(conn, tenant(), claims, service().callers, service().ended_sessions)
        refuse_revoked(now.session_ended, now.active)
        g.caller = Caller.from_row(claims["sub"], now.row) if now.row else Caller.from_claims(claims)
    return g.caller


def init_app(app: Flask) -> None:
    """Authenticate before anything else about a request is read: a body's mistakes are for callers only."""
    @app.before_request
    def _authenticate_first():
        view = app.view_functions.get(request.endpoint)
        if view is None or getattr(view, "public", False) or not request.path.startswith("/v1/"):
            return
        caller()


def staff_meta():
    return metadata(tenant(), caller().username)


def json_body(optional: bool = False) -> dict:
    """The JSON object in the body, or a 400/415 problem that says what is wrong with it."""
    if optional and not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise Problem(415, "request.unsupported_media_type", "Send JSON",
                      "The body must be a JSON object with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Problem(400, "request.malformed", "Malformed JSON", "The body must be a JSON object.",
                      [{"field": None, "pointer": "#", "detail": "not a JSON object"}])
    return body
