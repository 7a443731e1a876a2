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
from eventkit.projection import Projection, Row, Statement, last_write_wins

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


KEY = ("invitation_id",)  # every statement touches the links of one invitation
LINK = {"tenant_id": "text", "token_hash": "text", "invitation_id": "uuid", "customer_id": "uuid",
        "customer_code": "text", "expires_at": "timestamptz"}

LINKED = Statement(
    f"INSERT INTO {{table}} ({', '.join(LINK)}) SELECT {', '.join(LINK)} FROM {{rows}}"
    " ON CONFLICT (tenant_id, token_hash) DO NOTHING", columns=LINK, key=KEY)
REPLACED = Statement(
    "UPDATE {table} AS t SET replaced = true FROM {rows}"
    " WHERE t.invitation_id = rows.invitation_id AND t.token_hash <> rows.token_hash",
    columns={"invitation_id": "uuid", "token_hash": "text"}, key=KEY)
ENDED = Statement(
    "UPDATE {table} AS t SET state = rows.state FROM {rows} WHERE t.invitation_id = rows.invitation_id",
    columns={"invitation_id": "uuid", "state": "text"}, key=KEY, merge=last_write_wins)
USED = Statement(
    "UPDATE {table} AS t SET used_at = coalesce(t.used_at, rows.at) FROM {rows} WHERE t.invitation_id = rows.invitation_id",
    columns={"invitation_id": "uuid", "at": "timestamptz"}, key=KEY, merge=lambda older, newer: older)


def _link(event: StoredEvent) -> Row:
    d = event.data
    return LINKED.row(tenant_id=event.tenant_id, **{c: d[c] for c in LINK if c != "tenant_id"})


def sent(event: StoredEvent) -> list[Row]:
    return [_link(event)]


def resent(event: StoredEvent) -> list[Row]:
    return [REPLACED.row(invitation_id=event.data["invitation_id"], token_hash=event.data["token_hash"]),
            _link(event)]


def ended(event: StoredEvent) -> list[Row]:
    """Revoked, expired or accepted: every link of the invitation stops working."""
    return [ENDED.row(invitation_id=event.data["invitation_id"], state=event.type.rsplit(".", 1)[-1])]


def registered(event: StoredEvent) -> list[Row]:
    invitation_id = event.data.get("invitation_id")
    if not invitation_id:
        return []
    return [USED.row(invitation_id=invitation_id, at=event.occurred_at)]


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
