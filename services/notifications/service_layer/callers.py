"""Who is calling, as this service's projections of identity's events know them now (issue 14).

The access token only says who asks: a user disabled, deleted or demoted, or a session ended by logout,
counts from the moment its event is applied here, not when the token expires.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from eventkit.projection_tables import active_table

from ..adapters.projections import callers, ended_sessions


@dataclass(frozen=True)
class CurrentCaller:
    row: dict | None  # None: identity's events about this user have not arrived (yet)
    session_ended: bool

    @property
    def active(self) -> bool:
        r = self.row
        return r is None or (r["approved"] and not r["disabled"] and not r["deleted"])


def current_caller(conn, tenant_id: str, claims: dict) -> CurrentCaller:
    """The user behind verified claims and whether identity ended the token's session (`sid`)."""
    row, sid = None, claims.get("sid")
    try:
        user_id = str(uuid.UUID(str(claims["sub"])))
    except ValueError:  # a subject that is no UUID names nobody we know
        user_id = None
    if user_id:
        row = conn.execute(f"SELECT user_type, username, staff_roles, sales_rep, approved, disabled, deleted"
                           f" FROM {active_table(conn, callers.PROJECTION)} WHERE tenant_id = %s AND user_id = %s",
                           (tenant_id, user_id)).fetchone()
    ended = bool(sid) and conn.execute(f"SELECT 1 FROM {active_table(conn, ended_sessions.PROJECTION)}"
                                       " WHERE tenant_id = %s AND session_id = %s",
                                       (tenant_id, str(sid))).fetchone() is not None
    return CurrentCaller(row, ended)
