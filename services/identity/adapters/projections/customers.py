"""Projection: identity's customers for searching and paging (by name, code, type, sales rep, price list).

One customer with its contacts is read from its stream, not from here: that read must see the
caller's own writes, and a stream is short. This table serves the lists, which may lag a moment.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.forgetting import EMPTY, FORGOTTEN_EVENT, KEEP_NULL, MARKER, forgetting
from eventkit.projection import Projection, Row, Statement, assign_changed, last_write_wins, merge_changes

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
FIELDS = {"code": "text", "kind": "text", "name": "text", "receivable_account": "text", "customer_type": "text",
          "sales_rep": "text", "price_list": "text", "phone": "text", "emails": "text[]",
          "billing_address": "jsonb", "shipping_address": "jsonb"}
KEY = ("tenant_id", "customer_id")
ROW = {"tenant_id": "text", "customer_id": "uuid", "version": "integer", "at": "timestamptz"}

_VALUES = ", ".join("coalesce(emails, '{}')" if c == "emails" else c for c in FIELDS)
ADDED = Statement(
    f"INSERT INTO {{table}} (tenant_id, customer_id, {', '.join(FIELDS)}, version, updated_at)"
    f" SELECT tenant_id, customer_id, {_VALUES}, version, at FROM {{rows}}"
    " ON CONFLICT (tenant_id, customer_id) DO NOTHING",
    columns={**ROW, **FIELDS}, key=KEY)


def _change(assignments: str, merge=last_write_wins, **columns: str) -> Statement:
    """An UPDATE of the customer's row (`t`) from the event's values (`rows`), stamping its version."""
    return Statement(
        f"UPDATE {{table}} AS t SET {assignments}version = rows.version, updated_at = rows.at FROM {{rows}}"
        " WHERE t.tenant_id = rows.tenant_id AND t.customer_id = rows.customer_id",
        columns={**ROW, **columns}, key=KEY, merge=merge)


UPDATED = _change(assign_changed(FIELDS) + ", ", merge=merge_changes, changes="jsonb")
ARCHIVED = _change("status = 'archived', ")
# Added, updated and removed contacts: a count that moves by `delta`; two moves of one batch add up.
CONTACTS = _change("contacts = t.contacts + rows.delta, ", delta="integer",
                   merge=lambda older, newer: {**newer, "delta": older["delta"] + newer["delta"]})


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "customer_id": event.data["customer_id"],
            "version": event.stream_version, "at": event.occurred_at}


def customer_added(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ADDED.row(**_key(event), **{c: d.get(c) for c in FIELDS})]


def customer_updated(event: StoredEvent) -> list[Row]:
    changes = {k: v for k, v in event.data["changes"].items() if k in FIELDS}
    return [UPDATED.row(**_key(event), changes=changes)]


def customer_archived(event: StoredEvent) -> list[Row]:
    return [ARCHIVED.row(**_key(event))]


def _contacts(delta: int):
    def reducer(event: StoredEvent) -> list[Row]:
        return [CONTACTS.row(**_key(event), delta=delta)]
    return reducer


contact_added, contact_updated, contact_removed = _contacts(1), _contacts(0), _contacts(-1)


# A person forgotten (issue 17): their values here become markers.
subject_forgotten = forgetting(("customer",), "customer_id", {"name": MARKER, "emails": EMPTY, "phone": KEEP_NULL,
                                                              "billing_address": "NULL", "shipping_address": "NULL"})


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        FORGOTTEN_EVENT: subject_forgotten,
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
