"""Projection: the requests for quote portal users sent (seed 003), for the portal's "My requests" and the
staff console's list; who may read which is decided in domain/rfq.py."""
from __future__ import annotations

import json

from contracts.topics import DOCUMENTS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

TABLE = "rfqs_v1"
NAME = "documents.rfqs.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    request_id         uuid        NOT NULL,
    customer_id        uuid        NOT NULL,
    receivable_account text        NOT NULL,
    requested_by       uuid        NOT NULL,
    requested_by_name  text        NOT NULL,
    lines              jsonb       NOT NULL,
    notes              text,
    requested_at       timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, request_id)
);
CREATE INDEX IF NOT EXISTS {table}_by_customer ON {table} (tenant_id, customer_id, requested_at DESC);
CREATE INDEX IF NOT EXISTS {table}_newest ON {table} (tenant_id, requested_at DESC);
"""


def requested(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return [Statement(
        f"INSERT INTO {table} (tenant_id, request_id, customer_id, receivable_account, requested_by,"
        " requested_by_name, lines, notes, requested_at) VALUES (%(tenant_id)s, %(request_id)s, %(customer_id)s,"
        " %(receivable_account)s, %(requested_by)s, %(requested_by_name)s, %(lines)s::jsonb, %(notes)s, %(at)s)"
        " ON CONFLICT (tenant_id, request_id) DO NOTHING",
        {"tenant_id": event.tenant_id, "request_id": d["request_id"], "customer_id": d["customer_id"],
         "receivable_account": d["receivable_account"], "requested_by": d["requested_by"]["user_id"],
         "requested_by_name": d["requested_by"]["username"], "lines": json.dumps(d["lines"]),
         "notes": d.get("notes"), "at": event.occurred_at},
    )]


PROJECTION = Projection(name=NAME, topics=[DOCUMENTS], reducers={"portico.documents.quote.requested": requested},
                        table=TABLE, schema=SCHEMA)
