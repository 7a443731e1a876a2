"""Projection factory: the login sessions identity ended early (logout, a replayed refresh token), as any
service that verifies identity's access tokens keeps them (issue 14).

An access token names its session in the `sid` claim; once the session is in the calling service's table,
the service refuses the token (`eventkit.auth.refuse_revoked`: 401 auth.token_revoked) though its signature
and expiry are still good. Each service wires its own copy in its bootstrap.py: `projection("documents")`.
"""
from __future__ import annotations

from typing import Callable

from contracts.topics import IDENTITY

from .envelope import StoredEvent
from .projection import Projection, Row, Statement
from .projection_tables import active_table

TABLE = "ended_sessions_v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    session_id         text        NOT NULL,
    user_id            uuid        NOT NULL,
    reason             text        NOT NULL,
    ended_at           timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, session_id)
);
"""

ENDED = Statement(
    "INSERT INTO {table} (tenant_id, session_id, user_id, reason, ended_at)"
    " SELECT tenant_id, session_id, user_id, reason, at FROM {rows}"
    " ON CONFLICT (tenant_id, session_id) DO NOTHING",
    columns={"tenant_id": "text", "session_id": "text", "user_id": "uuid", "reason": "text", "at": "timestamptz"},
    key=("tenant_id", "session_id"))


def session_ended(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ENDED.row(tenant_id=event.tenant_id, session_id=d["session_id"], user_id=d["user_id"],
                      reason=d["reason"], at=event.occurred_at)]


def projection(service: str) -> Projection:
    """The service's copy: its own consumer group (`<service>.ended_sessions.v1`) and table."""
    return Projection(name=f"{service}.ended_sessions.v1", topics=[IDENTITY],
                      reducers={"portico.identity.session.ended": session_ended}, table=TABLE, schema=SCHEMA)


def ask_ended(conn, projection: Projection, tenant_id: str, session_id: str | None,
              table: str | None = None) -> Callable[[], bool]:
    """Whether identity ended the token's session (its `sid`), as the service's copy (the table given, or the
    serving one) knows it now: the question sent, its answer read when the returned function is called, so
    that it can share a pipelined round trip with other questions."""
    if not session_id:
        return lambda: False
    found = conn.execute(f"SELECT 1 FROM {table or active_table(conn, projection)}"
                         " WHERE tenant_id = %s AND session_id = %s", (tenant_id, str(session_id)))
    return lambda: found.fetchone() is not None
