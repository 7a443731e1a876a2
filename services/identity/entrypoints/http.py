"""Small request helpers shared by the identity API's blueprints."""
from __future__ import annotations

from flask import g, request

from eventkit.problems import Problem
from eventkit.requests import tenant  # noqa: F401  (re-exported for the blueprints)


def actor() -> str:
    """Who is acting: the username of the verified access token (see auth.py)."""
    return g.principal.username if "principal" in g else "anonymous"


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
