"""Projection: registrations from invitations waiting to be recorded as InvitationAccepted.

Identity's UserRegistered (source "invitation") lands here; the acceptance step (service_layer/
acceptances.py) appends InvitationAccepted and stamps `handled_at`. A rebuild brings rows back
unhandled, which is harmless: accepting an accepted invitation decides nothing.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

TABLE = "registrations_from_invitations_v1"
NAME = "invitations.acceptances.v1"
CHANNEL = "portico_invitation_acceptances"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id      text        NOT NULL,
    invitation_id  uuid        NOT NULL,
    user_id        uuid        NOT NULL,
    username       text        NOT NULL,
    registered_at  timestamptz NOT NULL,
    correlation_id uuid        NOT NULL,
    handled_at     timestamptz,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX IF NOT EXISTS {table}_waiting ON {table} (registered_at) WHERE handled_at IS NULL;
"""


def registered(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    if d["source"] != "invitation" or not d.get("invitation_id"):
        return []
    return [
        Statement(f"INSERT INTO {table} (tenant_id, invitation_id, user_id, username, registered_at, correlation_id)"
                  " VALUES (%(tenant_id)s, %(invitation_id)s, %(user_id)s, %(username)s, %(at)s, %(correlation_id)s)"
                  " ON CONFLICT DO NOTHING",
                  {"tenant_id": event.tenant_id, "invitation_id": d["invitation_id"], "user_id": d["user_id"],
                   "username": d["username"], "at": event.occurred_at, "correlation_id": event.correlation_id}),
        Statement(f"NOTIFY {CHANNEL}"),
    ]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={"portico.identity.user.registered": registered},
    table=TABLE,
    schema=SCHEMA,
)
