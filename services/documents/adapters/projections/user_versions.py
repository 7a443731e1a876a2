"""Projection: every version of each user as the documents service knew it, valid from its event's time.

users.py holds the current version, which decides every request; this table answers staff's question
"what could this user see on that day?" (issue 17). A version is a whole row: the first from the
user's created or registered event, each later one the version before it with the event's change, so
the state at an instant is one row (the newest version valid from then or earlier), never a fold.
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Row, Statement

from . import users

TABLE = "user_versions_v1"
NAME = "documents.user_versions.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    user_id            uuid        NOT NULL,
    version            integer     NOT NULL,
    valid_from         timestamptz NOT NULL,
    user_type          text        NOT NULL,
    username           text        NOT NULL,
    kind               text,
    customer_id        uuid,
    receivable_account text,
    areas              text[]      NOT NULL,
    own_orders_only    boolean     NOT NULL,
    approved           boolean     NOT NULL,
    disabled           boolean     NOT NULL,
    deleted            boolean     NOT NULL,
    staff_roles        text[]      NOT NULL,
    sales_rep          text,
    PRIMARY KEY (tenant_id, user_id, version)
);
"""
STATE = ("user_type", "username", "kind", "customer_id", "receivable_account", "areas", "own_orders_only",
         "approved", "disabled", "deleted", "staff_roles", "sales_rep")
KEY = {"tenant_id": "text", "user_id": "uuid", "version": "integer", "at": "timestamptz"}

ADDED = Statement(
    f"INSERT INTO {{table}} (tenant_id, user_id, version, valid_from, {', '.join(STATE)})"
    f" SELECT tenant_id, user_id, version, at, {', '.join(STATE)} FROM {{rows}}"
    " ON CONFLICT (tenant_id, user_id, version) DO NOTHING",
    columns={**KEY, **users.USER, "disabled": "boolean", "deleted": "boolean"}, key=("tenant_id", "user_id"))


def _next_version(merge=None, **changes: str) -> Statement:
    """The version before this event's (`p`) with `changes` (SQL over `p` and `rows`) applied. It reads the
    table, so rows of one user never merge: each is applied in its own round, in stream order."""
    values = ", ".join(changes.get(column, f"p.{column}") for column in STATE)
    columns = {name: kind for name, kind in {"area": "text", "flag": "boolean", "staff_roles": "text[]",
                                              "sales_rep": "text"}.items() if any(f"rows.{name}" in c for c in changes.values())}
    return Statement(
        f"INSERT INTO {{table}} (tenant_id, user_id, version, valid_from, {', '.join(STATE)})"
        f" SELECT rows.tenant_id, rows.user_id, rows.version, rows.at, {values} FROM {{rows}}"
        " JOIN LATERAL (SELECT * FROM {table} AS v WHERE v.tenant_id = rows.tenant_id AND v.user_id = rows.user_id"
        " AND v.version < rows.version ORDER BY v.version DESC LIMIT 1) AS p ON true"
        " ON CONFLICT (tenant_id, user_id, version) DO NOTHING",
        columns={**KEY, **columns}, key=("tenant_id", "user_id"), merge=merge)


APPROVED = _next_version(approved="true")
DELETED = _next_version(deleted="true")
DISABLED = _next_version(disabled="rows.flag")
AREA_GRANTED = _next_version(
    areas="ARRAY(SELECT DISTINCT a FROM unnest(array_append(p.areas, rows.area)) a ORDER BY a)")
AREA_REVOKED = _next_version(areas="array_remove(p.areas, rows.area)")
OWN_ORDERS_ONLY = _next_version(own_orders_only="rows.flag")
STAFF_ROLES = _next_version(staff_roles="rows.staff_roles", sales_rep="rows.sales_rep")


def _key(event: StoredEvent) -> dict:
    return {"tenant_id": event.tenant_id, "user_id": event.data["user_id"], "version": event.stream_version,
            "at": event.occurred_at}


def first_version(event: StoredEvent) -> list[Row]:
    """users.py's row for a new user, as this table's first version of it."""
    [row] = users.PROJECTION.rows_for(event)
    return [ADDED.row(**row.values, disabled=False, deleted=False)]


def _set(statement: Statement, **values):
    def reducer(event: StoredEvent) -> list[Row]:
        params = {name: value(event.data) if callable(value) else value for name, value in values.items()}
        return [statement.row(**params, **_key(event))]
    return reducer


U, S = users.U, users.S
PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        U + "created": first_version,
        U + "registered": first_version,
        U + "approved": _set(APPROVED),
        U + "deleted": _set(DELETED),
        U + "disabled": _set(DISABLED, flag=True),
        U + "enabled": _set(DISABLED, flag=False),
        U + "role_granted": _set(AREA_GRANTED, area=lambda d: d["area"]),
        U + "role_revoked": _set(AREA_REVOKED, area=lambda d: d["area"]),
        U + "own_orders_only_changed": _set(OWN_ORDERS_ONLY, flag=lambda d: d["own_orders_only"]),
        S + "created": first_version,
        S + "roles_changed": _set(STAFF_ROLES, staff_roles=lambda d: list(d["roles"]),
                                  sales_rep=lambda d: d["sales_rep"]),
    },
    table=TABLE,
    schema=SCHEMA,
)
