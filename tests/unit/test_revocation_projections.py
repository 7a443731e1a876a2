"""The projections that make revocation count at once (issue 14): identity's users as invitations and
notifications know their callers, and the sessions identity ended, in each service (table-driven)."""
import uuid
from datetime import datetime, timezone

import pytest

from documents.adapters.projections import ended_sessions as documents_sessions
from eventkit.envelope import StoredEvent
from invitations.adapters.projections import callers as invitations_callers
from invitations.adapters.projections import ended_sessions as invitations_sessions
from notifications.adapters.projections import callers as notifications_callers
from notifications.adapters.projections import ended_sessions as notifications_sessions

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
UID, CID, SID = "2f1c8f4e-0000-4000-8000-000000000001", "2f1c8f4e-0000-4000-8000-000000000002", str(uuid.uuid4())
KEY = {"tenant_id": "demo", "user_id": UID, "version": 2, "at": AT}
SET = ", version = %(version)s, updated_at = %(at)s WHERE tenant_id = %(tenant_id)s AND user_id = %(user_id)s"


def event(type_, data):
    return StoredEvent(9, f"user-{UID}", "user", 2, uuid.uuid4(), "portico.identity." + type_, 1, "demo", AT, "ada",
                       uuid.uuid4(), None, None, data)


STAFF = {"user_id": UID, "username": "ina", "name": "Ina", "emails": ["ina@d.example"], "roles": ["in-house"],
         "sales_rep": None, "password_setup": "link", "set_password_token": None, "set_password_expires_at": None}
CASES = [
    ("staff_user.created", STAFF,
     "INSERT INTO callers_v1 (tenant_id, user_id, approved, sales_rep, staff_roles, user_type, username, version,"
     " updated_at) VALUES (%(tenant_id)s, %(user_id)s, %(approved)s, %(sales_rep)s, %(staff_roles)s, %(user_type)s,"
     " %(username)s, %(version)s, %(at)s) ON CONFLICT (tenant_id, user_id) DO NOTHING",
     {"approved": True, "sales_rep": None, "staff_roles": ["in-house"], "user_type": "staff", "username": "ina",
      **KEY}),
    ("user.disabled", {"user_id": UID, "username": "ina", "user_type": "staff", "reason": None},
     "UPDATE callers_v1 SET disabled = true" + SET, KEY),
    ("user.enabled", {"user_id": UID, "username": "ina", "user_type": "staff"},
     "UPDATE callers_v1 SET disabled = false" + SET, KEY),
    ("user.deleted", {"user_id": UID, "username": "ina", "user_type": "staff", "customer_id": None, "reason": None},
     "UPDATE callers_v1 SET deleted = true" + SET, KEY),
    ("staff_user.roles_changed", {"user_id": UID, "username": "ina", "roles": ["sales-rep"], "sales_rep": "rep-9"},
     "UPDATE callers_v1 SET staff_roles = %(roles)s, sales_rep = %(sales_rep)s" + SET,
     {"roles": ["sales-rep"], "sales_rep": "rep-9", **KEY}),
    ("user.approved", {"user_id": UID, "username": "ina", "customer_id": CID},
     "UPDATE callers_v1 SET approved = true" + SET, KEY),
]


@pytest.mark.parametrize("projection", [invitations_callers.PROJECTION, notifications_callers.PROJECTION])
@pytest.mark.parametrize("type_, data, sql, params", CASES, ids=[c[0] for c in CASES])
def test_callers_keep_each_users_current_status_and_roles(projection, type_, data, sql, params):
    [statement] = projection.statements_for(event(type_, data))
    assert (statement.sql, statement.params) == (sql, params)
    [copy] = projection.on_table("callers_v1_r1").statements_for(event(type_, data))
    assert copy.sql == sql.replace("callers_v1", "callers_v1_r1")


@pytest.mark.parametrize("projection", [documents_sessions.PROJECTION, invitations_sessions.PROJECTION,
                                        notifications_sessions.PROJECTION])
def test_an_ended_session_is_recorded_once_per_tenant(projection):
    ended = event("session.ended", {"user_id": UID, "username": "ina", "user_type": "staff", "session_id": SID,
                                    "reason": "logout"})
    [statement] = projection.statements_for(ended)
    assert statement.sql == (
        "INSERT INTO ended_sessions_v1 (tenant_id, session_id, user_id, reason, ended_at)"
        " VALUES (%(tenant_id)s, %(session_id)s, %(user_id)s, %(reason)s, %(at)s)"
        " ON CONFLICT (tenant_id, session_id) DO NOTHING")
    assert statement.params == {"tenant_id": "demo", "session_id": SID, "user_id": UID, "reason": "logout", "at": AT}
    assert projection.on_table("x_r1").statements_for(ended)[0].sql.startswith("INSERT INTO x_r1 ")
    assert "CREATE TABLE IF NOT EXISTS x_r1" in projection.ddl("x_r1")
