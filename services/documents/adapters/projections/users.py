"""Projection: identity's users as the documents service needs them to decide who sees what.

Authorisation reads this table on every request, not the claims of the access token, because the
token lives for minutes after a role is revoked or a user deleted, while this table changes as soon
as the event arrives (issue 7): the token only says who is asking.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement, last_write_wins

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
KEY = {"tenant_id": "text", "user_id": "uuid", "version": "integer", "at": "timestamptz"}
USER = {"user_type": "text", "username": "text", "kind": "text", "customer_id": "uuid", "receivable_account": "text",
        "areas": "text[]", "own_orders_only": "boolean", "approved": "boolean", "staff_roles": "text[]",
        "sales_rep": "text"}

ADDED = Statement(
    f"INSERT INTO {{table}} (tenant_id, user_id, {', '.join(USER)}, version, updated_at)"
    f" SELECT tenant_id, user_id, {', '.join(USER)}, version, at FROM {{rows}}"
    " ON CONFLICT (tenant_id, user_id) DO NOTHING",
    columns={**KEY, **USER}, key=("tenant_id", "user_id"))


def _change(assignments: str, merge=last_write_wins, **columns: str) -> Statement:
    """An UPDATE of the user's row; `t` is the row, `rows` the event's values. Assignments that read the
    row (`t.`) do not merge: each is applied in turn."""
    return Statement(
        f"UPDATE {{table}} AS t SET {assignments}, version = rows.version, updated_at = rows.at FROM {{rows}}"
        " WHERE t.tenant_id = rows.tenant_id AND t.user_id = rows.user_id",
        columns={**KEY, **columns}, key=("tenant_id", "user_id"), merge=merge)


APPROVED = _change("approved = true")
DELETED = _change("deleted = true")
DISABLED = _change("disabled = rows.disabled", disabled="boolean")
AREA_GRANTED = _change("areas = ARRAY(SELECT DISTINCT a FROM unnest(array_append(t.areas, rows.area)) a ORDER BY a)",
                       merge=None, area="text")
AREA_REVOKED = _change("areas = array_remove(t.areas, rows.area)", merge=None, area="text")
OWN_ORDERS_ONLY = _change("own_orders_only = rows.own_orders_only", own_orders_only="boolean")
STAFF_ROLES = _change("staff_roles = rows.staff_roles, sales_rep = rows.sales_rep", staff_roles="text[]",
                      sales_rep="text")


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "user_id": event.data["user_id"], "version": event.stream_version,
            "at": event.occurred_at}


def _set(statement: Statement, **values):
    def reducer(event: StoredEvent) -> list[Row]:
        params = {name: value(event.data) if callable(value) else value for name, value in values.items()}
        return [statement.row(**params, **_key(event))]
    return reducer


def portal_user(approved: bool):
    def reducer(event: StoredEvent) -> list[Row]:
        d = event.data
        return [ADDED.row(**_key(event), user_type="portal", username=d["username"], kind=d["kind"],
                          customer_id=d["customer_id"], receivable_account=d["receivable_account"],
                          areas=sorted(d["areas"]), own_orders_only=d["own_orders_only"], approved=approved,
                          staff_roles=[], sales_rep=None)]
    return reducer


def staff_user(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ADDED.row(**_key(event), user_type="staff", username=d["username"], kind=None, customer_id=None,
                      receivable_account=None, areas=[], own_orders_only=False, approved=True,
                      staff_roles=list(d["roles"]), sales_rep=d["sales_rep"])]


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        U + "created": portal_user(approved=True),
        U + "registered": portal_user(approved=False),
        U + "approved": _set(APPROVED),
        U + "deleted": _set(DELETED),
        U + "disabled": _set(DISABLED, disabled=True),
        U + "enabled": _set(DISABLED, disabled=False),
        U + "role_granted": _set(AREA_GRANTED, area=lambda d: d["area"]),
        U + "role_revoked": _set(AREA_REVOKED, area=lambda d: d["area"]),
        U + "own_orders_only_changed": _set(OWN_ORDERS_ONLY, own_orders_only=lambda d: d["own_orders_only"]),
        S + "created": staff_user,
        S + "roles_changed": _set(STAFF_ROLES, staff_roles=lambda d: list(d["roles"]), sales_rep=lambda d: d["sales_rep"]),
    },
    table=TABLE,
    schema=SCHEMA,
)
