"""Projection: each customer's code, name and default e-mail addresses (from the accounting system).

The addresses are where Reply-To falls back to when a user has none (seed 002)."""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

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


def customer_added(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return [Statement(
        f"INSERT INTO {table} (tenant_id, customer_id, code, name, emails)"
        " VALUES (%(tenant_id)s, %(customer_id)s, %(code)s, %(name)s, %(emails)s)"
        " ON CONFLICT (tenant_id, customer_id) DO NOTHING",
        {"tenant_id": event.tenant_id, "customer_id": d["customer_id"], "code": d["code"], "name": d["name"],
         "emails": list(d["emails"])},
    )]


def customer_updated(event: StoredEvent, table: str) -> list[Statement]:
    changes = {k: v for k, v in event.data["changes"].items() if k in ("name", "emails")}
    if not changes:
        return []
    assignments = ", ".join(f"{column} = %({column})s" for column in sorted(changes))
    return [Statement(
        f"UPDATE {table} SET {assignments} WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
        {**changes, "tenant_id": event.tenant_id, "customer_id": event.data["customer_id"]},
    )]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        "portico.identity.customer.created": customer_added,
        "portico.identity.customer.imported": customer_added,
        "portico.identity.customer.updated": customer_updated,
    },
    table=TABLE,
    schema=SCHEMA,
)
