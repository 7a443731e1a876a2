"""Projection: the e-mails events call for, one row per (event, kind), waiting to be dispatched.

This is the consumer that turns triggering events into queued work; the dispatcher turns each row
into one delivery per recipient once the facts it needs are projected. The dispatcher is the only
writer besides this projection: it sets `dispatched_at` and removes the sealed links from `facts`.
"""
from __future__ import annotations

from contracts.topics import IDENTITY, INVITATIONS
from eventkit.envelope import StoredEvent
from eventkit.forgetting import FORGOTTEN_EVENT, MARKER
from eventkit.projection import Projection, Row, Statement, last_write_wins

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
# A person forgotten (issue 17): the e-mails about them keep their kind, status and dates (the counts still add
# up), while the delivery log drops the address, the variables and the subject line, and the mailings their facts.
_ABOUT = ("m.tenant_id = rows.tenant_id AND ((rows.subject_kind = 'user' AND m.user_id = rows.subject_id)"
          " OR (rows.subject_kind = 'customer' AND m.customer_id = rows.subject_id))")
_FORGOTTEN = {"tenant_id": "text", "subject_id": "uuid", "subject_kind": "text"}
DELIVERIES_FORGOTTEN = Statement(
    f"UPDATE deliveries AS d SET recipient = {MARKER} || ' ' || d.delivery_id, reply_to = NULL, context = '{{}}',"
    f" subject = CASE WHEN d.subject IS NULL THEN NULL ELSE {MARKER} END, last_error = NULL"
    f" FROM {{table}} AS m, {{rows}} WHERE {_ABOUT} AND d.event_id = m.event_id AND d.kind = m.kind",
    columns=_FORGOTTEN, key=("tenant_id", "subject_id"), merge=last_write_wins)
FACTS_FORGOTTEN = Statement(
    f"UPDATE {{table}} AS m SET facts = '{{}}' FROM {{rows}} WHERE {_ABOUT} AND m.dispatched_at IS NOT NULL",
    columns=_FORGOTTEN, key=("tenant_id", "subject_id"), merge=last_write_wins)


def mailings_called_for(event: StoredEvent) -> list[Row]:
    rows = [CALLED_FOR.row(
        event_id=event.id, kind=mailing.kind, tenant_id=event.tenant_id, event_type=event.type,
        occurred_at=event.occurred_at, correlation_id=event.correlation_id, traceparent=event.traceparent,
        user_id=mailing.user_id, customer_id=mailing.customer_id, facts=mailing.facts,
    ) for mailing in mailings_for(event)]
    return rows + [WAKE_UP.on()] if rows else []


def subject_forgotten(event: StoredEvent) -> list[Row]:
    d = event.data
    if d["subject_kind"] not in ("user", "customer"):
        return []  # a contact gets no e-mail of ours
    row = {"tenant_id": event.tenant_id, "subject_id": d["subject_id"], "subject_kind": d["subject_kind"]}
    return [DELIVERIES_FORGOTTEN.row(**row), FACTS_FORGOTTEN.row(**row)]  # the log first: it finds them by facts' rows


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY, INVITATIONS],
    reducers={**{event_type: mailings_called_for for event_type in TRIGGERS}, FORGOTTEN_EVENT: subject_forgotten},
    table=TABLE,
    schema=SCHEMA,
)
