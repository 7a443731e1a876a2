"""Projection: usernames registered and waiting for a username administrator's approval (seed 004).

A row appears with identity's UserRegistered and goes with UserApproved or UserDeleted; the three
share the user's stream, so they arrive in order.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

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
_FIELDS = ("user_id", "username", "customer_id", "customer_code", "first_name", "last_name", "business_name",
           "source", "invitation_id")


def registered(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return [Statement(
        f"INSERT INTO {table} (tenant_id, {', '.join(_FIELDS)}, emails, registered_at)"
        f" VALUES (%(tenant_id)s, {', '.join(f'%({f})s' for f in _FIELDS)}, %(emails)s, %(at)s)"
        " ON CONFLICT (tenant_id, user_id) DO NOTHING",
        {**{f: d.get(f) for f in _FIELDS}, "tenant_id": event.tenant_id, "emails": list(d["emails"]),
         "at": event.occurred_at},
    )]


def reviewed(event: StoredEvent, table: str) -> list[Statement]:
    """Approved or deleted: no longer waiting."""
    return [Statement(f"DELETE FROM {table} WHERE tenant_id = %(tenant_id)s AND user_id = %(user_id)s",
                      {"tenant_id": event.tenant_id, "user_id": event.data["user_id"]})]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        "portico.identity.user.registered": registered,
        "portico.identity.user.approved": reviewed,
        "portico.identity.user.deleted": reviewed,
    },
    table=TABLE,
    schema=SCHEMA,
)
