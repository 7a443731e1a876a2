"""Projection: registrations from invitations waiting to be recorded as InvitationAccepted.

Identity's UserRegistered (source "invitation") lands here; the acceptance step (service_layer/
acceptances.py) appends InvitationAccepted and stamps `handled_at`. A rebuild brings rows back
unhandled, which is harmless: accepting an accepted invitation decides nothing.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement

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
-- What InvitationAccepted continues: the registration's event (its causation) and trace; added after the
-- first release, so rows recorded before have neither.
ALTER TABLE {table} ADD COLUMN IF NOT EXISTS causation_id uuid, ADD COLUMN IF NOT EXISTS traceparent text;
"""


COLUMNS = {"tenant_id": "text", "invitation_id": "uuid", "user_id": "uuid", "username": "text",
           "registered_at": "timestamptz", "correlation_id": "uuid", "causation_id": "uuid", "traceparent": "text"}
RECORDED = Statement(
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM {{rows}} ON CONFLICT DO NOTHING",
    columns=COLUMNS, key=("tenant_id", "user_id"))
WAKE_UP = Statement(f"NOTIFY {CHANNEL}")


def registered(event: StoredEvent) -> list[Row]:
    d = event.data
    if d["source"] != "invitation" or not d.get("invitation_id"):
        return []
    return [RECORDED.row(tenant_id=event.tenant_id, invitation_id=d["invitation_id"], user_id=d["user_id"],
                         username=d["username"], registered_at=event.occurred_at, correlation_id=event.correlation_id,
                         causation_id=event.id, traceparent=event.traceparent),
            WAKE_UP.on()]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={"portico.identity.user.registered": registered},
    table=TABLE,
    schema=SCHEMA,
)
