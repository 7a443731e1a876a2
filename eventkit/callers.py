"""Projection factory: identity's users as a service needs them to decide who may call its API, and the
query that reads them with the ended sessions (issue 14).

Authorisation reads this table on every request, not the claims of the access token, because the token
lives for minutes after a role is revoked or a user disabled or deleted, while this table changes as soon
as the event arrives: the token only says who is asking. Each service wires its own copy in its
bootstrap.py (`projection("invitations")`) and answers `eventkit.auth.refuse_revoked` from `current_caller`.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from contracts.topics import IDENTITY

from . import ended_sessions
from .envelope import StoredEvent
from .projection import Projection, Row, Statement, last_write_wins
from .projection_tables import active_tables

TABLE = "callers_v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id          text        NOT NULL,
    user_id            uuid        NOT NULL,
    user_type          text        NOT NULL,
    username           text        NOT NULL,
    kind               text,
    customer_id        uuid,
    areas              text[]      NOT NULL DEFAULT '{}',
    approved           boolean     NOT NULL,
    disabled           boolean     NOT NULL DEFAULT false,
    deleted            boolean     NOT NULL DEFAULT false,
    staff_roles        text[]      NOT NULL DEFAULT '{}',
    sales_rep          text,
    version            integer     NOT NULL,
    updated_at         timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, user_id)
);
"""
U = "portico.identity.user."
S = "portico.identity.staff_user."
KEY = {"tenant_id": "text", "user_id": "uuid", "version": "integer", "at": "timestamptz"}
USER = {"user_type": "text", "username": "text", "kind": "text", "customer_id": "uuid", "areas": "text[]",
        "approved": "boolean", "staff_roles": "text[]", "sales_rep": "text"}

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
                          customer_id=d["customer_id"], areas=sorted(d["areas"]), approved=approved,
                          staff_roles=[], sales_rep=None)]
    return reducer


def staff_user(event: StoredEvent) -> list[Row]:
    d = event.data
    return [ADDED.row(**_key(event), user_type="staff", username=d["username"], kind=None, customer_id=None,
                      areas=[], approved=True, staff_roles=list(d["roles"]), sales_rep=d["sales_rep"])]


REDUCERS = {
    U + "created": portal_user(approved=True),
    U + "registered": portal_user(approved=False),
    U + "approved": _set(APPROVED),
    U + "deleted": _set(DELETED),
    U + "disabled": _set(DISABLED, disabled=True),
    U + "enabled": _set(DISABLED, disabled=False),
    U + "role_granted": _set(AREA_GRANTED, area=lambda d: d["area"]),
    U + "role_revoked": _set(AREA_REVOKED, area=lambda d: d["area"]),
    S + "created": staff_user,
    S + "roles_changed": _set(STAFF_ROLES, staff_roles=lambda d: list(d["roles"]), sales_rep=lambda d: d["sales_rep"]),
}


def projection(service: str) -> Projection:
    """The service's copy: its own consumer group (`<service>.callers.v1`) and table."""
    return Projection(name=f"{service}.callers.v1", topics=[IDENTITY], reducers=REDUCERS, table=TABLE, schema=SCHEMA)


@dataclass(frozen=True)
class CurrentCaller:
    row: dict | None  # None: identity's events about this user have not arrived (yet)
    session_ended: bool

    @property
    def active(self) -> bool:
        r = self.row
        return r is None or (r["approved"] and not r["disabled"] and not r["deleted"])


def current_caller(conn, tenant_id: str, claims: dict, callers: Projection, ended: Projection) -> CurrentCaller:
    """The user behind verified claims, as the service's copy of `callers` knows them now, and whether
    identity ended the token's session (`sid`, in its copy of `ended`): the registry in one round trip,
    the user and the session in another."""
    try:
        user_id = str(uuid.UUID(str(claims["sub"])))
    except ValueError:  # a subject that is no UUID names nobody we know
        user_id = None
    callers_table, ended_table = active_tables(conn, [callers, ended])
    with conn.pipeline():
        found = (conn.execute(f"SELECT user_type, username, staff_roles, sales_rep, approved, disabled, deleted"
                              f" FROM {callers_table} WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id))
                 if user_id else None)
        session_ended = ended_sessions.ask_ended(conn, ended, tenant_id, claims.get("sid"), ended_table)
    return CurrentCaller(found.fetchone() if found is not None else None, session_ended())
