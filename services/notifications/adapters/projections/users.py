"""Projection: each user's username and e-mail addresses, for the e-mails that go to a user.

It also takes note of every user event that triggers such an e-mail (without changing a row): once
this projection has processed that event, it has processed everything before it in the user's
stream, so the dispatcher knows the addresses it reads are current (see service_layer/dispatch.py).
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.projection import Projection, Statement

from ...domain import triggers

TABLE = "users_v1"
NAME = "notifications.users.v1"
SCHEMA = """
CREATE TABLE IF NOT EXISTS {table} (
    tenant_id    text    NOT NULL,
    user_id      uuid    NOT NULL,
    username     text    NOT NULL,
    user_type    text    NOT NULL,
    customer_id  uuid,
    emails       text[]  NOT NULL DEFAULT '{}',
    PRIMARY KEY (tenant_id, user_id)
);
"""


def _user_added(user_type: str):
    def reducer(event: StoredEvent, table: str) -> list[Statement]:
        d = event.data
        return [Statement(
            f"INSERT INTO {table} (tenant_id, user_id, username, user_type, customer_id, emails)"
            " VALUES (%(tenant_id)s, %(user_id)s, %(username)s, %(user_type)s, %(customer_id)s, %(emails)s)"
            " ON CONFLICT (tenant_id, user_id) DO NOTHING",
            {"tenant_id": event.tenant_id, "user_id": d["user_id"], "username": d["username"],
             "user_type": user_type, "customer_id": d.get("customer_id"), "emails": list(d["emails"])},
        )]
    return reducer


def user_deleted(event: StoredEvent, table: str) -> list[Statement]:
    return [Statement(f"DELETE FROM {table} WHERE tenant_id = %(tenant_id)s AND user_id = %(user_id)s",
                      {"tenant_id": event.tenant_id, "user_id": event.data["user_id"]})]


def noted(event: StoredEvent, table: str) -> list[Statement]:
    """Nothing to change; processing it is what the dispatcher waits for."""
    return []


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        triggers.USER_CREATED: _user_added("portal"),
        triggers.REGISTERED: _user_added("portal"),
        triggers.STAFF_USER_CREATED: _user_added("staff"),
        "portico.identity.user.deleted": user_deleted,
        triggers.APPROVED: noted,
        triggers.DISABLED: noted,
        triggers.PASSWORD_CHANGED: noted,
        triggers.PASSWORD_SET: noted,
    },
    table=TABLE,
    schema=SCHEMA,
)
