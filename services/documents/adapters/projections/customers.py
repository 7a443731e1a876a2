"""Projection: identity's customers as the documents service names them beside a request for quote, and
the sales rep each one carries (a rep sees the requests of its own customers only)."""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

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


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "customer_id": event.data["customer_id"], "version": event.stream_version,
            "at": event.occurred_at}


def added(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return [Statement(
        f"INSERT INTO {table} (tenant_id, customer_id, code, name, sales_rep, version, updated_at)"
        " VALUES (%(tenant_id)s, %(customer_id)s, %(code)s, %(name)s, %(sales_rep)s, %(version)s, %(at)s)"
        " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name,"
        f" sales_rep = EXCLUDED.sales_rep, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at"
        f" WHERE {table}.version < EXCLUDED.version",
        {**_key(event), "code": d["code"], "name": d["name"], "sales_rep": d.get("sales_rep")},
    )]


def updated(event: StoredEvent, table: str) -> list[Statement]:
    changes = {k: v for k, v in event.data["changes"].items() if k in CHANGING}
    if not changes:
        return []
    assignments = ", ".join(f"{column} = %({column})s" for column in sorted(changes))
    return [Statement(
        f"UPDATE {table} SET {assignments}, version = %(version)s, updated_at = %(at)s"
        " WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
        {**changes, **_key(event)},
    )]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={C + "created": added, C + "imported": added, C + "updated": updated},
    table=TABLE,
    schema=SCHEMA,
)
