"""Projection: the requests for quote portal users sent (seed 003), for the portal's "My requests" and the
staff console's list; who may read which is decided in domain/rfq.py."""
from __future__ import annotations

from contracts.topics import DOCUMENTS
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement

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


COLUMNS = {"tenant_id": "text", "request_id": "uuid", "customer_id": "uuid", "receivable_account": "text",
           "requested_by": "uuid", "requested_by_name": "text", "lines": "jsonb", "notes": "text",
           "requested_at": "timestamptz"}
REQUESTED = Statement(
    f"INSERT INTO {{table}} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM {{rows}}"
    " ON CONFLICT (tenant_id, request_id) DO NOTHING", columns=COLUMNS, key=("tenant_id", "request_id"))


def requested(event: StoredEvent) -> list[Row]:
    d = event.data
    return [REQUESTED.row(tenant_id=event.tenant_id, request_id=d["request_id"], customer_id=d["customer_id"],
                          receivable_account=d["receivable_account"], requested_by=d["requested_by"]["user_id"],
                          requested_by_name=d["requested_by"]["username"], lines=d["lines"], notes=d.get("notes"),
                          requested_at=event.occurred_at)]


PROJECTION = Projection(name=NAME, topics=[DOCUMENTS], reducers={"portico.documents.quote.requested": requested},
                        table=TABLE, schema=SCHEMA)
