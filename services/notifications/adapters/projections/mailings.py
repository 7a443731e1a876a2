"""Projection: the e-mails events call for, one row per (event, kind), waiting to be dispatched.

This is the consumer that turns triggering events into queued work; the dispatcher turns each row
into one delivery per recipient once the facts it needs are projected. The dispatcher is the only
writer besides this projection: it sets `dispatched_at` and removes the sealed links from `facts`.
"""
from __future__ import annotations

from contracts.topics import IDENTITY, INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement

from ...domain.triggers import TRIGGERS, mailings_for
from ..wakeup import MAILINGS

TABLE = "mailings_v1"
NAME = "notifications.mailings.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    event_id        uuid        NOT NULL,
    kind            text        NOT NULL,
    tenant_id       text        NOT NULL,
    event_type      text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    correlation_id  uuid        NOT NULL,
    traceparent     text,
    user_id         uuid,
    customer_id     uuid,
    facts           jsonb       NOT NULL,
    recorded_at     timestamptz NOT NULL DEFAULT now(),
    dispatched_at   timestamptz,
    PRIMARY KEY (event_id, kind)
);
CREATE INDEX IF NOT EXISTS {table}_waiting ON {table} (recorded_at) WHERE dispatched_at IS NULL;
"""


COLUMNS = {"event_id": "uuid", "kind": "text", "tenant_id": "text", "event_type": "text", "occurred_at": "timestamptz",
           "correlation_id": "uuid", "traceparent": "text", "user_id": "uuid", "customer_id": "uuid", "facts": "jsonb"}
CALLED_FOR = Statement(
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM {{rows}}"
    " ON CONFLICT (event_id, kind) DO NOTHING", columns=COLUMNS, key=("event_id", "kind"))
WAKE_UP = Statement(f"NOTIFY {MAILINGS}")


def mailings_called_for(event: StoredEvent) -> list[Row]:
    rows = [CALLED_FOR.row(
        event_id=event.id, kind=mailing.kind, tenant_id=event.tenant_id, event_type=event.type,
        occurred_at=event.occurred_at, correlation_id=event.correlation_id, traceparent=event.traceparent,
        user_id=mailing.user_id, customer_id=mailing.customer_id, facts=mailing.facts,
    ) for mailing in mailings_for(event)]
    return rows + [WAKE_UP.on()] if rows else []


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY, INVITATIONS],
    reducers={event_type: mailings_called_for for event_type in TRIGGERS},
    table=TABLE,
    schema=SCHEMA,
)
