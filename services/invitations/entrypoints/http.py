"""Request helpers for the invitations API: the JSON body, and who is calling."""
from __future__ import annotations

from flask import current_app, g, request

from eventkit.auth import bearer_claims
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
    """The staff user of the request's access token (verified with identity's JWKS), for this tenant."""
    if "caller" not in g:
        g.caller = Caller.from_claims(bearer_claims(service().verifier, tenant()))
    return g.caller


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
