"""Projection: the tenant's invitation history, one row per thing that happened (seed 004).

Sent, opened, resent, revoked, expired, accepted and skipped, newest first. Only the sent event names
the customer; the later ones of the same invitation (same stream, so after it) copy it from its row.
"""
from __future__ import annotations

from contracts.topics import INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.forgetting import EMPTY, FORGOTTEN_EVENT, KEEP_NULL, MARKER, forgetting
from eventkit.projection import Projection, Row, Statement

TABLE = "invitation_history_v1"
NAME = "invitations.history.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id      text        NOT NULL,
    event_id       uuid        NOT NULL,
    happened       text        NOT NULL,
    at             timestamptz NOT NULL,
    actor          text        NOT NULL,
    invitation_id  uuid,
    batch_id       uuid,
    customer_id    uuid        NOT NULL,
    customer_code  text,
    customer_name  text,
    emails         text[],
    detail         text,
    PRIMARY KEY (tenant_id, event_id)
);
CREATE INDEX IF NOT EXISTS {table}_by_time ON {table} (tenant_id, at DESC);
CREATE INDEX IF NOT EXISTS {table}_by_invitation ON {table} (invitation_id, happened);
"""
COLUMNS = {"tenant_id": "text", "event_id": "uuid", "happened": "text", "at": "timestamptz", "actor": "text",
           "invitation_id": "uuid", "batch_id": "uuid", "customer_id": "uuid", "customer_code": "text",
           "customer_name": "text", "emails": "text[]", "detail": "text"}
# Rows of one invitation go in stream order: a later one copies the customer from its sent row.
HAPPENED = Statement(
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM {{rows}} ON CONFLICT DO NOTHING",
    columns=COLUMNS, key=("invitation_id",))
SKIPPED = Statement(HAPPENED.sql, columns=COLUMNS, key=("event_id",))  # no invitation: a row on its own
FOLLOWED = Statement(
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) SELECT rows.tenant_id, rows.event_id, rows.happened, rows.at,"
    " rows.actor, rows.invitation_id, sent.batch_id, rows.customer_id, sent.customer_code, sent.customer_name,"
    " sent.emails, rows.detail FROM {rows} JOIN {table} AS sent"
    " ON sent.invitation_id = rows.invitation_id AND sent.happened = 'sent' ON CONFLICT DO NOTHING",
    columns=COLUMNS, key=("invitation_id",))


def _row(event: StoredEvent, happened: str, **values) -> dict:
    d = event.data
    return {"tenant_id": event.tenant_id, "event_id": event.id, "happened": happened, "at": event.occurred_at,
            "actor": event.actor, "invitation_id": d.get("invitation_id"), "batch_id": d.get("batch_id"),
            "customer_id": d["customer_id"], "customer_code": None, "customer_name": None, "emails": None,
            "detail": None, **values}


def sent(event: StoredEvent) -> list[Row]:
    d = event.data
    happened = event.type.rsplit(".", 1)[-1]
    return [HAPPENED.row(**_row(event, happened, customer_code=d["customer_code"], customer_name=d["customer_name"],
                                emails=list(d["emails"]), detail=d["address_source"]))]


def followed(event: StoredEvent) -> list[Row]:
    """Opened, revoked, expired, accepted: the customer's code and name come from the sent row."""
    happened = event.type.rsplit(".", 1)[-1]
    d = event.data
    detail = d.get("reason") if happened == "revoked" else d.get("username") if happened == "accepted" else None
    return [FOLLOWED.row(**_row(event, happened, detail=detail))]


def skipped(event: StoredEvent) -> list[Row]:
    d = event.data
    return [SKIPPED.row(**_row(event, "skipped", customer_code=d["customer_code"], customer_name=d["customer_name"],
                               detail=d["reason"]))]


# A person forgotten (issue 17): their values here become markers.
subject_forgotten = forgetting(("customer",), "customer_id",
                               {"customer_name": KEEP_NULL, "emails": KEEP_NULL.replace(MARKER, EMPTY)})


PROJECTION = Projection(
    name=NAME,
    topics=[INVITATIONS],
    reducers={
        FORGOTTEN_EVENT: subject_forgotten,
        "portico.invitations.invitation.sent": sent,
        "portico.invitations.invitation.resent": sent,
        "portico.invitations.invitation.opened": followed,
        "portico.invitations.invitation.revoked": followed,
        "portico.invitations.invitation.expired": followed,
        "portico.invitations.invitation.accepted": followed,
        "portico.invitations.batch.customer_skipped": skipped,
    },
    table=TABLE,
    schema=SCHEMA,
)
