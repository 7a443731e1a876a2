"""Projection: the e-mails events call for, one row per (event, kind), waiting to be dispatched.

This is the consumer that turns triggering events into queued work; the dispatcher turns each row
into one delivery per recipient once the facts it needs are projected. The dispatcher is the only
writer besides this projection: it sets `dispatched_at` and removes the sealed links from `facts`.
"""
from __future__ import annotations

from psycopg.types.json import Jsonb

from contracts.topics import IDENTITY, INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

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


def mailings_called_for(event: StoredEvent, table: str) -> list[Statement]:
    inserts = [Statement(
        f"INSERT INTO {table} (event_id, kind, tenant_id, event_type, occurred_at, correlation_id, traceparent,"
        " user_id, customer_id, facts) VALUES (%(event_id)s, %(kind)s, %(tenant_id)s, %(event_type)s,"
        " %(occurred_at)s, %(correlation_id)s, %(traceparent)s, %(user_id)s, %(customer_id)s, %(facts)s)"
        " ON CONFLICT (event_id, kind) DO NOTHING",
        {"event_id": event.id, "kind": mailing.kind, "tenant_id": event.tenant_id, "event_type": event.type,
         "occurred_at": event.occurred_at, "correlation_id": event.correlation_id,
         "traceparent": event.traceparent, "user_id": mailing.user_id, "customer_id": mailing.customer_id,
         "facts": Jsonb(mailing.facts)},
    ) for mailing in mailings_for(event)]
    return inserts + [Statement(f"NOTIFY {MAILINGS}")] if inserts else []


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY, INVITATIONS],
    reducers={event_type: mailings_called_for for event_type in TRIGGERS},
    table=TABLE,
    schema=SCHEMA,
)
