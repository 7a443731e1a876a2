"""Projection: the login sessions identity ended early (logout, a replayed refresh token).

An access token names its session in the `sid` claim; once the session is here, the invitations
service refuses the token (401 auth.token_revoked) though its signature and expiry are still good.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement

TABLE = "ended_sessions_v1"
NAME = "invitations.ended_sessions.v1"
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


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={"portico.identity.session.ended": session_ended},
    table=TABLE,
    schema=SCHEMA,
)
