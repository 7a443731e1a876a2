"""Projection: identity's customers for searching and paging (by name, code, type, sales rep, price list).

One customer with its contacts is read from its stream, not from here: that read must see the
caller's own writes, and a stream is short. This table serves the lists, which may lag a moment.
"""
from __future__ import annotations

import json

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

TABLE = "customers_v1"
NAME = "identity.customers.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    customer_id        uuid        NOT NULL,
    code               text        NOT NULL,
    kind               text        NOT NULL,
    name               text        NOT NULL,
    receivable_account text        NOT NULL,
    customer_type      text,
    sales_rep          text,
    price_list         text,
    emails             text[]      NOT NULL DEFAULT '{}',
    phone              text,
    billing_address    jsonb,
    shipping_address   jsonb,
    status             text        NOT NULL DEFAULT 'active',
    contacts           integer     NOT NULL DEFAULT 0,
    version            integer     NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX IF NOT EXISTS {table}_by_name ON {table} (tenant_id, name, code);
CREATE INDEX IF NOT EXISTS {table}_by_code ON {table} (tenant_id, code);
"""
TEXT_COLUMNS = ("code", "kind", "name", "receivable_account", "customer_type", "sales_rep", "price_list", "phone")
ADDRESS_COLUMNS = ("billing_address", "shipping_address")


def _values(data: dict) -> dict:
    values = {k: data.get(k) for k in TEXT_COLUMNS if k in data}
    values.update({k: json.dumps(data[k]) if data[k] is not None else None for k in ADDRESS_COLUMNS if k in data})
    if "emails" in data:
        values["emails"] = list(data["emails"] or [])
    return values


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "customer_id": event.data["customer_id"],
            "version": event.stream_version, "at": event.occurred_at}


def _set(event: StoredEvent, table: str, assignments: str, values: dict | None = None) -> list[Statement]:
    return [Statement(
        f"UPDATE {table} SET {assignments}version = %(version)s, updated_at = %(at)s"
        " WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
        {**(values or {}), **_key(event)},
    )]


def customer_added(event: StoredEvent, table: str) -> list[Statement]:
    values = _values(event.data)
    columns = sorted(values)
    placeholders = ", ".join(f"%({c})s::jsonb" if c in ADDRESS_COLUMNS else f"%({c})s" for c in columns)
    return [Statement(
        f"INSERT INTO {table} (tenant_id, customer_id, {', '.join(columns)}, version, updated_at)"
        f" VALUES (%(tenant_id)s, %(customer_id)s, {placeholders}, %(version)s, %(at)s)"
        " ON CONFLICT (tenant_id, customer_id) DO NOTHING",
        {**values, **_key(event)},
    )]


def customer_updated(event: StoredEvent, table: str) -> list[Statement]:
    values = _values(event.data["changes"])
    assignments = "".join(f"{c} = %({c})s::jsonb, " if c in ADDRESS_COLUMNS else f"{c} = %({c})s, "
                          for c in sorted(values))
    return _set(event, table, assignments, values)


def customer_archived(event: StoredEvent, table: str) -> list[Statement]:
    return _set(event, table, "status = 'archived', ")


def contact_added(event: StoredEvent, table: str) -> list[Statement]:
    return _set(event, table, "contacts = contacts + 1, ")


def contact_updated(event: StoredEvent, table: str) -> list[Statement]:
    return _set(event, table, "")


def contact_removed(event: StoredEvent, table: str) -> list[Statement]:
    return _set(event, table, "contacts = contacts - 1, ")


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        "portico.identity.customer.created": customer_added,
        "portico.identity.customer.imported": customer_added,
        "portico.identity.customer.updated": customer_updated,
        "portico.identity.customer.archived": customer_archived,
        "portico.identity.customer.contact_added": contact_added,
        "portico.identity.customer.contact_updated": contact_updated,
        "portico.identity.customer.contact_removed": contact_removed,
    },
    table=TABLE,
    schema=SCHEMA,
)
