"""Projection: identity's users as the documents service needs them to decide who sees what.

Authorisation reads this table on every request, not the claims of the access token, because the
token lives for minutes after a role is revoked or a user deleted, while this table changes as soon
as the event arrives (issue 7): the token only says who is asking.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

TABLE = "users_v1"
NAME = "documents.users.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    user_id            uuid        NOT NULL,
    user_type          text        NOT NULL,
    username           text        NOT NULL,
    kind               text,
    customer_id        uuid,
    receivable_account text,
    areas              text[]      NOT NULL DEFAULT '{}',
    own_orders_only    boolean     NOT NULL DEFAULT false,
    approved           boolean     NOT NULL,
    disabled           boolean     NOT NULL DEFAULT false,
    deleted            boolean     NOT NULL DEFAULT false,
    staff_roles        text[]      NOT NULL DEFAULT '{}',
    version            integer     NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
-- A sales rep's code decides which customers' requests for quote the rep sees; added after the first release.
ALTER TABLE {table} ADD COLUMN IF NOT EXISTS sales_rep text;
"""
U = "portico.identity.user."
S = "portico.identity.staff_user."


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "user_id": event.data["user_id"], "version": event.stream_version,
            "at": event.occurred_at}


def _insert(event: StoredEvent, table: str, values: dict) -> list[Statement]:
    columns = sorted(values)
    return [Statement(
        f"INSERT INTO {table} (tenant_id, user_id, {', '.join(columns)}, version, updated_at)"
        f" VALUES (%(tenant_id)s, %(user_id)s, {', '.join(f'%({c})s' for c in columns)}, %(version)s, %(at)s)"
        " ON CONFLICT (tenant_id, user_id) DO NOTHING",
        {**values, **_key(event)},
    )]


def _set(assignments: str, **values):
    def reducer(event: StoredEvent, table: str) -> list[Statement]:
        params = {name: value(event.data) if callable(value) else value for name, value in values.items()}
        return [Statement(
            f"UPDATE {table} SET {assignments}, version = %(version)s, updated_at = %(at)s"
            " WHERE tenant_id = %(tenant_id)s AND user_id = %(user_id)s",
            {**params, **_key(event)},
        )]
    return reducer


def portal_user(approved: bool):
    def reducer(event: StoredEvent, table: str) -> list[Statement]:
        d = event.data
        return _insert(event, table, {
            "user_type": "portal", "username": d["username"], "kind": d["kind"], "customer_id": d["customer_id"],
            "receivable_account": d["receivable_account"], "areas": sorted(d["areas"]),
            "own_orders_only": d["own_orders_only"], "approved": approved})
    return reducer


def staff_user(event: StoredEvent, table: str) -> list[Statement]:
    d = event.data
    return _insert(event, table, {"user_type": "staff", "username": d["username"], "approved": True,
                                  "staff_roles": list(d["roles"]), "sales_rep": d["sales_rep"]})


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        U + "created": portal_user(approved=True),
        U + "registered": portal_user(approved=False),
        U + "approved": _set("approved = true"),
        U + "deleted": _set("deleted = true"),
        U + "disabled": _set("disabled = true"),
        U + "enabled": _set("disabled = false"),
        U + "role_granted": _set("areas = ARRAY(SELECT DISTINCT a FROM unnest(array_append(areas, %(area)s)) a"
                                 " ORDER BY a)", area=lambda d: d["area"]),
        U + "role_revoked": _set("areas = array_remove(areas, %(area)s)", area=lambda d: d["area"]),
        U + "own_orders_only_changed": _set("own_orders_only = %(flag)s", flag=lambda d: d["own_orders_only"]),
        S + "created": staff_user,
        S + "roles_changed": _set("staff_roles = %(roles)s, sales_rep = %(sales_rep)s", roles=lambda d: list(d["roles"]),
                                  sales_rep=lambda d: d["sales_rep"]),
    },
    table=TABLE,
    schema=SCHEMA,
)
