"""Projection: customers without a portal username, the ones staff may invite (seed 004).

`usernames` counts a customer's portal users, pending or approved, deleted ones not: the customer
leaves the list with its first username and comes back when its last one is deleted. A user's events
and its customer's travel in different streams, so on different partitions: a user may arrive first
(always so in a rebuild), and then makes a row that the customer's own event fills in.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.forgetting import EMPTY, FORGOTTEN_EVENT, MARKER, forgetting
from eventkit.projection import Projection, Row, Statement, assign_changed, last_write_wins, merge_changes

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
# The customer fields this projection keeps, with their columns' types.
COLUMNS = {"name": "text", "kind": "text", "customer_type": "text", "sales_rep": "text", "price_list": "text",
           "emails": "text[]"}
KEY = ("tenant_id", "customer_id")
CUSTOMER = {"tenant_id": "text", "customer_id": "uuid"}


def _sum(older, newer):
    return {**newer, "n": older["n"] + newer["n"]}


ADDED = Statement(
    f"INSERT INTO {{table}} (tenant_id, customer_id, code, {', '.join(COLUMNS)})"
    f" SELECT tenant_id, customer_id, code, {', '.join(COLUMNS)} FROM {{rows}}"
    " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET code = EXCLUDED.code,"
    f" {', '.join(f'{c} = EXCLUDED.{c}' for c in COLUMNS)}",
    columns={**CUSTOMER, "code": "text", **COLUMNS}, key=KEY, merge=last_write_wins)
UPDATED = Statement(
    f"UPDATE {{table}} AS t SET {assign_changed(COLUMNS)} FROM {{rows}}"
    " WHERE t.tenant_id = rows.tenant_id AND t.customer_id = rows.customer_id",
    columns={**CUSTOMER, "changes": "jsonb"}, key=KEY, merge=merge_changes)
ARCHIVED = Statement(
    "UPDATE {table} AS t SET archived = true FROM {rows}"
    " WHERE t.tenant_id = rows.tenant_id AND t.customer_id = rows.customer_id",
    columns=CUSTOMER, key=KEY, merge=last_write_wins)
# A user may arrive before its customer: the row it makes is filled in by the customer's event.
USERNAMES_ADDED = Statement(
    "INSERT INTO {table} (tenant_id, customer_id, code, name, kind, usernames)"
    " SELECT tenant_id, customer_id, code, code, 'company', n FROM {rows}"
    " ON CONFLICT (tenant_id, customer_id) DO UPDATE SET usernames = {table}.usernames + EXCLUDED.usernames",
    columns={**CUSTOMER, "code": "text", "n": "integer"}, key=KEY, merge=_sum)
USERNAMES_DELETED = Statement(
    "UPDATE {table} AS t SET usernames = greatest(t.usernames - rows.n, 0) FROM {rows}"
    " WHERE t.tenant_id = rows.tenant_id AND t.customer_id = rows.customer_id",
    columns={**CUSTOMER, "n": "integer"}, key=KEY, merge=_sum)


def customer_added(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ADDED.row(tenant_id=event.tenant_id, customer_id=d["customer_id"], code=d["code"], name=d["name"],
                      kind=d["kind"], customer_type=d.get("customer_type"), sales_rep=d.get("sales_rep"),
                      price_list=d.get("price_list"), emails=list(d.get("emails") or []))]


def customer_updated(event: StoredEvent) -> list[Row]:
    changes = {k: v for k, v in event.data["changes"].items() if k in COLUMNS}
    if not changes:
        return []
    return [UPDATED.row(tenant_id=event.tenant_id, customer_id=event.data["customer_id"], changes=changes)]


def customer_archived(event: StoredEvent) -> list[Row]:
    return [ARCHIVED.row(tenant_id=event.tenant_id, customer_id=event.data["customer_id"])]


def username_added(event: StoredEvent) -> list[Row]:
    d = event.data
    return [USERNAMES_ADDED.row(tenant_id=event.tenant_id, customer_id=d["customer_id"], code=d["customer_code"], n=1)]


def username_deleted(event: StoredEvent) -> list[Row]:
    d = event.data
    if d["user_type"] != "portal" or d.get("customer_id") is None:
        return []
    return [USERNAMES_DELETED.row(tenant_id=event.tenant_id, customer_id=d["customer_id"], n=1)]


# A person forgotten (issue 17): their values here become markers.
_marked = forgetting(("customer",), "customer_id", {"name": MARKER, "emails": EMPTY})
# The batches' copies of an individual customer's name and addresses go with the candidate (the command side's
# table, written here so that one event marks both in one transaction).
BATCH_COPIES_FORGOTTEN = Statement(
    f"UPDATE invitation_batch_customers AS b SET customer_name = CASE WHEN b.customer_name IS NULL THEN NULL"
    f" ELSE {MARKER} END,"
    " emails = CASE WHEN b.emails IS NULL THEN NULL ELSE '{}'::text[] END FROM {rows}"
    " WHERE b.customer_id = rows.subject_id AND b.batch_id IN (SELECT batch_id FROM invitation_batches"
    " WHERE tenant_id = rows.tenant_id)",
    columns={"tenant_id": "text", "subject_id": "uuid"}, key=("tenant_id", "subject_id"), merge=last_write_wins)


def subject_forgotten(event: StoredEvent) -> list[Row]:
    marked = _marked(event)
    return marked + [BATCH_COPIES_FORGOTTEN.row(**marked[0].values)] if marked else []


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        FORGOTTEN_EVENT: subject_forgotten,
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
