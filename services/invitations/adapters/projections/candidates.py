"""Projection: customers without a portal username, the ones staff may invite (seed 004).

`usernames` counts a customer's portal users, pending or approved, deleted ones not: the customer
leaves the list with its first username and comes back when its last one is deleted. A user's events
and its customer's travel in different streams, so on different partitions: a user may arrive first
(always so in a rebuild), and then makes a row that the customer's own event fills in.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

TABLE = "candidates_v1"
NAME = "invitations.candidates.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id        text    NOT NULL,
    customer_id      uuid    NOT NULL,
    code             text    NOT NULL,
    name             text    NOT NULL,
    kind             text    NOT NULL,
    customer_type    text,
    sales_rep        text,
    price_list       text,
    emails           text[]  NOT NULL DEFAULT '{}',
    usernames        integer NOT NULL DEFAULT 0,
    archived         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX IF NOT EXISTS {table}_listing ON {table} (tenant_id, name, code)
    WHERE usernames = 0 AND NOT archived;
"""
# The customer fields this projection keeps, mapped to their columns.
COLUMNS = {"name": "name", "kind": "kind", "customer_type": "customer_type", "sales_rep": "sales_rep",
           "price_list": "price_list", "emails": "emails"}


def customer_added(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return [Statement(
        f"INSERT INTO {table} (tenant_id, customer_id, code, name, kind, customer_type, sales_rep,"
        " price_list, emails) VALUES (%(tenant_id)s, %(customer_id)s, %(code)s, %(name)s, %(kind)s,"
        " %(customer_type)s, %(sales_rep)s, %(price_list)s, %(emails)s)"
        " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET code = EXCLUDED.code, name = EXCLUDED.name,"
        " kind = EXCLUDED.kind, customer_type = EXCLUDED.customer_type, sales_rep = EXCLUDED.sales_rep,"
        " price_list = EXCLUDED.price_list, emails = EXCLUDED.emails",
        {"tenant_id": event.tenant_id, "customer_id": d["customer_id"], "code": d["code"], "name": d["name"],
         "kind": d["kind"], "customer_type": d.get("customer_type"), "sales_rep": d.get("sales_rep"),
         "price_list": d.get("price_list"), "emails": list(d.get("emails") or [])},
    )]


def customer_updated(event: StoredEvent, table: str) -> list[Statement]:
    changes = {COLUMNS[k]: v for k, v in event.data["changes"].items() if k in COLUMNS}
    if not changes:
        return []
    assignments = ", ".join(f"{column} = %({column})s" for column in sorted(changes))
    return [Statement(
        f"UPDATE {table} SET {assignments} WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
        {**changes, "tenant_id": event.tenant_id, "customer_id": event.data["customer_id"]},
    )]


def customer_archived(event: StoredEvent, table: str) -> list[Statement]:
    return [Statement(
        f"UPDATE {table} SET archived = true WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
        {"tenant_id": event.tenant_id, "customer_id": event.data["customer_id"]},
    )]


def username_added(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return [Statement(
        f"INSERT INTO {table} (tenant_id, customer_id, code, name, kind, usernames)"
        " VALUES (%(tenant_id)s, %(customer_id)s, %(code)s, %(code)s, 'company', 1)"
        f" ON CONFLICT (tenant_id, customer_id) DO UPDATE SET usernames = {table}.usernames + 1",
        {"tenant_id": event.tenant_id, "customer_id": d["customer_id"], "code": d["customer_code"]},
    )]


def username_deleted(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    if d["user_type"] != "portal" or d.get("customer_id") is None:
        return []
    return [Statement(
        f"UPDATE {table} SET usernames = greatest(usernames - 1, 0)"
        " WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
        {"tenant_id": event.tenant_id, "customer_id": d["customer_id"]},
    )]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        "portico.identity.customer.created": customer_added,
        "portico.identity.customer.imported": customer_added,
        "portico.identity.customer.updated": customer_updated,
        "portico.identity.customer.archived": customer_archived,
        "portico.identity.user.created": username_added,
        "portico.identity.user.registered": username_added,
        "portico.identity.user.deleted": username_deleted,
    },
    table=TABLE,
    schema=SCHEMA,
)
