"""Projection: each user's username and e-mail addresses, for the e-mails that go to a user.

It also takes note of every user event that triggers such an e-mail (without changing a row): once
this projection has processed that event, it has processed everything before it in the user's
stream, so the dispatcher knows the addresses it reads are current (see service_layer/dispatch.py).
"""
from __future__ import annotations

from contracts.topics import IDENTITY
from eventkit.envelope import StoredEvent
from eventkit.forgetting import EMPTY, FORGOTTEN_EVENT, forgetting
from eventkit.projection import Projection, Row, Statement, last_write_wins

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


KEY = ("tenant_id", "user_id")
USER = {"tenant_id": "text", "user_id": "uuid", "username": "text", "user_type": "text", "customer_id": "uuid",
        "emails": "text[]"}
ADDED = Statement(
    f"INSERT INTO {{table}} ({', '.join(USER)}) SELECT {', '.join(USER)} FROM {{rows}}"
    " ON CONFLICT (tenant_id, user_id) DO NOTHING", columns=USER, key=KEY)
DELETED = Statement(
    "DELETE FROM {table} AS t USING {rows} WHERE t.tenant_id = rows.tenant_id AND t.user_id = rows.user_id",
    columns={"tenant_id": "text", "user_id": "uuid"}, key=KEY, merge=last_write_wins)


def _user_added(user_type: str):
    def reducer(event: StoredEvent) -> list[Row]:
        d = event.data
        return [ADDED.row(tenant_id=event.tenant_id, user_id=d["user_id"], username=d["username"], user_type=user_type,
                          customer_id=d.get("customer_id"), emails=list(d["emails"]))]
    return reducer


def user_deleted(event: StoredEvent) -> list[Row]:
    return [DELETED.row(tenant_id=event.tenant_id, user_id=event.data["user_id"])]


def noted(event: StoredEvent) -> list[Row]:
    """Nothing to change; processing it is what the dispatcher waits for."""
    return []


# A person forgotten (issue 17): their values here become markers.
subject_forgotten = forgetting(("user",), "user_id", {"emails": EMPTY})


PROJECTION = Projection(
    name=NAME,
    topics=[IDENTITY],
    reducers={
        # Every event that calls for an e-mail is noted, so a new trigger cannot be forgotten here (its
        # e-mails would wait FACTS_WAIT_SECONDS for a note that never comes); the ones that change a row follow.
        **{event_type: noted for event_type in triggers.TRIGGERS if event_type.startswith(f"{IDENTITY}.")},
        FORGOTTEN_EVENT: subject_forgotten,
        triggers.USER_CREATED: _user_added("portal"),
        triggers.REGISTERED: _user_added("portal"),
        triggers.STAFF_USER_CREATED: _user_added("staff"),
        "portico.identity.user.deleted": user_deleted,
    },
    table=TABLE,
    schema=SCHEMA,
)
