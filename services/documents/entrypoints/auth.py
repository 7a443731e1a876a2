"""Who is calling: the tenant's ERP (an API key), a portal user or a staff user (identity's access token).

A token is verified here (signature, expiry, issuer, audience, tenant) but only says *who* asks. What
they may see is decided from this service's projection of identity's events (service_layer/readers),
so a revoked role, a disabled or a deleted user counts from the moment its event is applied, not
when the token expires.
"""
from __future__ import annotations

from flask import current_app, g, request

from eventkit.auth import bearer_claims, refuse_revoked
from eventkit.ended_sessions import ask_ended
from eventkit.problems import Problem
from eventkit.requests import tenant

from ..adapters import erp_credentials
from ..adapters.projections.users import PROJECTION as USERS
from ..domain.visibility import Reader
from ..service_layer.readers import ask_reader
from .request_connection import connection
from .serving import asked_on_serving

STAFF_WHO_MAY_ASK_WHY = frozenset({"in-house", "system-administrator"})


def _documents():
    return current_app.extensions["documents"]


def erp() -> str:
    """The actor name of the ERP credential in the bearer header; 401 unless it is one of this tenant's."""
    scheme, _, key = request.headers.get("Authorization", "").partition(" ")
    challenge = {"WWW-Authenticate": 'Bearer realm="portico-erp"'}
    if scheme.lower() != "bearer" or not key.startswith(erp_credentials.PREFIX):
        raise Problem(401, "auth.erp_key_missing", "ERP key required",
                      "Publishing documents takes the ERP's API key: Authorization: Bearer perp_...; make one "
                      "with `python -m documents.entrypoints.admin_cli erp-key-create`.", headers=challenge)
    with _documents().pool.connection() as conn:
        credential = erp_credentials.find(conn, key.strip())
    if credential is None or credential["tenant_id"] != tenant():
        raise Problem(401, "auth.erp_key_invalid", "ERP key not valid",
                      "This key is unknown, revoked or of another tenant.", headers=challenge)
    return f"erp:{credential['name']}"


def reader() -> Reader | None:
    """The caller as this service knows it; None when its events have not arrived (it then sees nothing).

    401 auth.token_revoked once its session ended or it is pending, disabled or deleted."""
    if "reader" not in g:
        claims = bearer_claims(_documents().verifier, tenant())
        conn, sessions = connection(), _documents().ended_sessions

        def ask(tables):  # the user and the token's session, in one round trip with the registry's question
            return (ask_reader(conn, tenant(), claims["sub"], tables[0]),
                    ask_ended(conn, sessions, tenant(), claims.get("sid"), tables[1]))
        by, ended = asked_on_serving([USERS, sessions], ask)
        by, ended = by(), ended()
        refuse_revoked(ended, active=by is None or (by.approved and not by.disabled and not by.deleted))
        g.reader = by
    return g.reader


def staff_who_may_ask_why() -> Reader:
    """An active in-house user or system administrator; 403 for anyone else."""
    by = reader()
    if (by is None or by.user_type != "staff" or by.deleted or by.disabled
            or not by.staff_roles & STAFF_WHO_MAY_ASK_WHY):
        raise Problem(403, "auth.in_house_only", "Not allowed",
                      "Only active in-house users and system administrators may ask why a user sees a document.")
    return by
