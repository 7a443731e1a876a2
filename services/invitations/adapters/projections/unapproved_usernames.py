"""Projection: usernames registered and waiting for a username administrator's approval (seed 004).

A row appears with identity's UserRegistered and goes with UserApproved or UserDeleted; the three
share the user's stream, so they arrive in order.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.forgetting import EMPTY, FORGOTTEN_EVENT, MARKER, forgetting
from eventkit.projection import Projection, Row, Statement, last_write_wins

TABLE = "unapproved_usernames_v1"
NAME = "invitations.unapproved_usernames.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id      text        NOT NULL,
    user_id        uuid        NOT NULL,
    username       text        NOT NULL,
    customer_id    uuid        NOT NULL,
    customer_code  text        NOT NULL,
    first_name     text        NOT NULL,
    last_name      text        NOT NULL,
    emails         text[]      NOT NULL DEFAULT '{}',
    business_name  text,
    source         text        NOT NULL,
    invitation_id  uuid,
    registered_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
CREATE INDEX IF NOT EXISTS {table}_listing ON {table} (tenant_id, registered_at);
"""
COLUMNS = {"tenant_id": "text", "user_id": "uuid", "username": "text", "customer_id": "uuid", "customer_code": "text",
           "first_name": "text", "last_name": "text", "business_name": "text", "source": "text",
           "invitation_id": "uuid", "emails": "text[]", "registered_at": "timestamptz"}
KEY = ("tenant_id", "user_id")
WAITING = Statement(
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM {{rows}}"
    " ON CONFLICT (tenant_id, user_id) DO NOTHING", columns=COLUMNS, key=KEY)
REVIEWED = Statement(
    "DELETE FROM {table} AS t USING {rows} WHERE t.tenant_id = rows.tenant_id AND t.user_id = rows.user_id",
    columns={"tenant_id": "text", "user_id": "uuid"}, key=KEY, merge=last_write_wins)


def registered(event: StoredEvent) -> list[Row]:
    d = event.data
    return [WAITING.row(**{c: d.get(c) for c in COLUMNS if c not in ("tenant_id", "emails", "registered_at")},
                        tenant_id=event.tenant_id, emails=list(d["emails"]), registered_at=event.occurred_at)]


def reviewed(event: StoredEvent) -> list[Row]:
    """Approved or deleted: no longer waiting."""
    return [REVIEWED.row(tenant_id=event.tenant_id, user_id=event.data["user_id"])]


# A person forgotten (issue 17): their values here become markers.
subject_forgotten = forgetting(("user",), "user_id", {"first_name": MARKER, "last_name": MARKER, "emails": EMPTY})


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        FORGOTTEN_EVENT: subject_forgotten,
        "portico.identity.user.registered": registered,
        "portico.identity.user.approved": reviewed,
        "portico.identity.user.deleted": reviewed,
    },
    table=TABLE,
    schema=SCHEMA,
)
