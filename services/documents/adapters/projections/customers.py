"""Projection: identity's customers as the documents service names them beside a request for quote, and
the sales rep each one carries (a rep sees the requests of its own customers only)."""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.forgetting import FORGOTTEN_EVENT, MARKER, forgetting
from eventkit.projection import Projection, Row, Statement, assign_changed, last_write_wins, merge_changes

TABLE = "customers_v1"
NAME = "documents.customers.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id   text        NOT NULL,
    customer_id uuid        NOT NULL,
    code        text        NOT NULL,
    name        text        NOT NULL,
    sales_rep   text,
    version     integer     NOT NULL,
    updated_at  timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
"""
C = "portico.identity.customer."
CHANGING = ("name", "sales_rep")  # the only changes this table keeps


CUSTOMER = {"tenant_id": "text", "customer_id": "uuid", "version": "integer", "at": "timestamptz"}
KEY = ("tenant_id", "customer_id")
ADDED = Statement(
    "INSERT INTO {table} (tenant_id, customer_id, code, name, sales_rep, version, updated_at)"
    " SELECT tenant_id, customer_id, code, name, sales_rep, version, at FROM {rows}"
    " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name,"
    " sales_rep = EXCLUDED.sales_rep, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at"
    " WHERE {table}.version < EXCLUDED.version",
    columns={**CUSTOMER, "code": "text", "name": "text", "sales_rep": "text"}, key=KEY, merge=last_write_wins)
UPDATED = Statement(
    f"UPDATE {{table}} AS t SET {assign_changed({c: 'text' for c in CHANGING})}, version = rows.version,"
    " updated_at = rows.at FROM {rows} WHERE t.tenant_id = rows.tenant_id AND t.customer_id = rows.customer_id",
    columns={**CUSTOMER, "changes": "jsonb"}, key=KEY, merge=merge_changes)


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "customer_id": event.data["customer_id"], "version": event.stream_version,
            "at": event.occurred_at}


def added(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ADDED.row(**_key(event), code=d["code"], name=d["name"], sales_rep=d.get("sales_rep"))]


def updated(event: StoredEvent) -> list[Row]:
    changes = {k: v for k, v in event.data["changes"].items() if k in CHANGING}
    if not changes:
        return []
    return [UPDATED.row(**_key(event), changes=changes)]


# A person forgotten (issue 17): their values here become markers.
subject_forgotten = forgetting(("customer",), "customer_id", {"name": MARKER})


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={FORGOTTEN_EVENT: subject_forgotten, C + "created": added, C + "imported": added, C + "updated": updated},
    table=TABLE,
    schema=SCHEMA,
)
