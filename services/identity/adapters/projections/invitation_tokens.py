"""Projection: the invitation links the invitations service sent, so identity checks one alone (seed 004).

A row per link, by its token's SHA-256: the invitation, its customer, its expiry and its state. A
resend adds the new link's row and marks the older ones replaced; revoked, expired and accepted
apply to every link of the invitation. Identity's own UserRegistered marks the links used; so does
the registration itself, in its transaction (service_layer/invitation_tokens.py), so that a link
cannot register twice while the events are on their way.
"""
from __future__ import annotations

from contracts.topics import IDENTITY, INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

TABLE = "invitation_tokens_v1"
NAME = "identity.invitation_tokens.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id      text        NOT NULL,
    token_hash     text        NOT NULL,
    invitation_id  uuid        NOT NULL,
    customer_id    uuid        NOT NULL,
    customer_code  text        NOT NULL,
    expires_at     timestamptz NOT NULL,
    state          text        NOT NULL DEFAULT 'sent',
    replaced       boolean     NOT NULL DEFAULT false,
    used_at        timestamptz,
    PRIMARY KEY (tenant_id, token_hash)
);
CREATE INDEX IF NOT EXISTS {table}_by_invitation ON {table} (invitation_id);
"""


def _link(event: StoredEvent, table: str) -> Statement:
    d = event.data
    return Statement(
        f"INSERT INTO {table} (tenant_id, token_hash, invitation_id, customer_id, customer_code, expires_at)"
        " VALUES (%(tenant_id)s, %(token_hash)s, %(invitation_id)s, %(customer_id)s, %(customer_code)s,"
        " %(expires_at)s) ON CONFLICT (tenant_id, token_hash) DO NOTHING",
        {"tenant_id": event.tenant_id, "token_hash": d["token_hash"], "invitation_id": d["invitation_id"],
         "customer_id": d["customer_id"], "customer_code": d["customer_code"], "expires_at": d["expires_at"]})


def sent(event: StoredEvent, table: str) -> list[Statement]:
    return [_link(event, table)]


def resent(event: StoredEvent, table: str) -> list[Statement]:
    return [Statement(f"UPDATE {table} SET replaced = true WHERE invitation_id = %(invitation_id)s"
                      " AND token_hash <> %(token_hash)s",
                      {"invitation_id": event.data["invitation_id"], "token_hash": event.data["token_hash"]}),
            _link(event, table)]


def ended(event: StoredEvent, table: str) -> list[Statement]:
    """Revoked, expired or accepted: every link of the invitation stops working."""
    return [Statement(f"UPDATE {table} SET state = %(state)s WHERE invitation_id = %(invitation_id)s",
                      {"state": event.type.rsplit(".", 1)[-1], "invitation_id": event.data["invitation_id"]})]


def registered(event: StoredEvent, table: str) -> list[Statement]:
    invitation_id = event.data.get("invitation_id")
    if not invitation_id:
        return []
    return [Statement(f"UPDATE {table} SET used_at = coalesce(used_at, %(at)s) WHERE invitation_id = %(invitation_id)s",
                      {"at": event.occurred_at, "invitation_id": invitation_id})]


PROJECTION = Projection(
    name=NAME,
    topics=[INVITATIONS, IDENTITY],
    reducers={
        "portico.invitations.invitation.sent": sent,
        "portico.invitations.invitation.resent": resent,
        "portico.invitations.invitation.revoked": ended,
        "portico.invitations.invitation.expired": ended,
        "portico.invitations.invitation.accepted": ended,
        "portico.identity.user.registered": registered,
    },
    table=TABLE,
    schema=SCHEMA,
)
