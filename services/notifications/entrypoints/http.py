"""Request helpers for the notifications API: the JSON body, and who is calling."""
from __future__ import annotations

from flask import current_app, g, request

from eventkit.auth import bearer_claims, refuse_revoked
from eventkit.callers import current_caller
from eventkit.problems import Problem
from eventkit.requests import tenant


IN_HOUSE_ROLES = frozenset({"in-house", "system-administrator"})


def service():
    return current_app.extensions["notifications"]


def in_house_staff() -> str:
    """The username of the request's staff user (identity's access token); 403 unless in-house or admin."""
    if "staff_username" not in g:
        claims = bearer_claims(service().verifier, tenant())
        with service().pool.connection() as conn:
            now = current_caller(conn, tenant(), claims, service().callers, service().ended_sessions)
        refuse_revoked(now.session_ended, now.active)
        who = now.row or claims  # the roles of now, once identity's events about the user are here
        if who.get("user_type") != "staff" or not IN_HOUSE_ROLES & set(who.get("staff_roles") or ()):
            raise Problem(403, "auth.in_house_only", "Not allowed", "Only in-house users and system administrators "
                          "manage e-mail templates and sender settings and read the delivery log.")
        g.staff_username = who.get("username") or who.get("preferred_username") or str(claims["sub"])
    return g.staff_username


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
