"""Projection: each customer's code, name and default e-mail addresses (from the accounting system).

The addresses are where Reply-To falls back to when a user has none (seed 002)."""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.forgetting import EMPTY, FORGOTTEN_EVENT, MARKER, forgetting
from eventkit.projection import Projection, Row, Statement, assign_changed, merge_changes

TABLE = "customers_v1"
NAME = "notifications.customers.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id    text    NOT NULL,
    customer_id  uuid    NOT NULL,
    code         text    NOT NULL,
    name         text    NOT NULL,
    emails       text[]  NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, customer_id)
);
"""


KEY = ("tenant_id", "customer_id")
CUSTOMER = {"tenant_id": "text", "customer_id": "uuid"}
FIELDS = {"name": "text", "emails": "text[]"}
ADDED = Statement(
    "INSERT INTO {table} (tenant_id, customer_id, code, name, emails)"
    " SELECT tenant_id, customer_id, code, name, emails FROM {rows} ON CONFLICT (tenant_id, customer_id) DO NOTHING",
    columns={**CUSTOMER, "code": "text", **FIELDS}, key=KEY)
UPDATED = Statement(
    f"UPDATE {{table}} AS t SET {assign_changed(FIELDS)} FROM {{rows}}"
    " WHERE t.tenant_id = rows.tenant_id AND t.customer_id = rows.customer_id",
    columns={**CUSTOMER, "changes": "jsonb"}, key=KEY, merge=merge_changes)


def customer_added(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ADDED.row(tenant_id=event.tenant_id, customer_id=d["customer_id"], code=d["code"], name=d["name"],
                      emails=list(d["emails"]))]


def customer_updated(event: StoredEvent) -> list[Row]:
    changes = {k: v for k, v in event.data["changes"].items() if k in FIELDS}
    if not changes:
        return []
    return [UPDATED.row(tenant_id=event.tenant_id, customer_id=event.data["customer_id"], changes=changes)]


# A person forgotten (issue 17): their values here become markers.
subject_forgotten = forgetting(("customer",), "customer_id", {"name": MARKER, "emails": EMPTY})


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        FORGOTTEN_EVENT: subject_forgotten,
        "portico.identity.customer.created": customer_added,
        "portico.identity.customer.imported": customer_added,
        "portico.identity.customer.updated": customer_updated,
    },
    table=TABLE,
    schema=SCHEMA,
)
