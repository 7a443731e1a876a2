"""The projections that make revocation count at once (issue 14): identity's users as invitations and
notifications know their callers, and the sessions identity ended, in each service (table-driven): the kit's
projections (eventkit/callers.py, eventkit/ended_sessions.py) as each service's bootstrap wires its copy."""
import uuid
from datetime import datetime, timezone

import pytest

import documents.bootstrap
import invitations.bootstrap
import notifications.bootstrap
from eventkit import callers
from eventkit.envelope import StoredEvent

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
UID, CID, SID = "2f1c8f4e-0000-4000-8000-000000000001", "2f1c8f4e-0000-4000-8000-000000000002", str(uuid.uuid4())
KEY = {"tenant_id": "demo", "user_id": UID, "version": 2, "at": AT}
CALLERS = [invitations.bootstrap.CALLERS, notifications.bootstrap.CALLERS]
ENDED_SESSIONS = [documents.bootstrap.ENDED_SESSIONS, invitations.bootstrap.ENDED_SESSIONS,
                  notifications.bootstrap.ENDED_SESSIONS]


def event(type_, data):
    return StoredEvent(9, f"user-{UID}", "user", 2, uuid.uuid4(), "portico.identity." + type_, 1, "demo", AT, "ada",
                       uuid.uuid4(), None, None, data)


STAFF = {"user_id": UID, "username": "ina", "name": "Ina", "emails": ["ina@d.example"], "roles": ["in-house"],
         "sales_rep": None, "password_setup": "link", "set_password_token": None, "set_password_expires_at": None}
CASES = [
    ("staff_user.created", STAFF, "ADDED",
     {"user_type": "staff", "username": "ina", "kind": None, "customer_id": None, "areas": [], "approved": True,
      "staff_roles": ["in-house"], "sales_rep": None, **KEY}),
    ("user.disabled", {"user_id": UID, "username": "ina", "user_type": "staff", "reason": None}, "DISABLED",
     {"disabled": True, **KEY}),
    ("user.enabled", {"user_id": UID, "username": "ina", "user_type": "staff"}, "DISABLED",
     {"disabled": False, **KEY}),
    ("user.deleted", {"user_id": UID, "username": "ina", "user_type": "staff", "customer_id": None, "reason": None},
     "DELETED", KEY),
    ("staff_user.roles_changed", {"user_id": UID, "username": "ina", "roles": ["sales-rep"], "sales_rep": "rep-9"},
     "STAFF_ROLES", {"staff_roles": ["sales-rep"], "sales_rep": "rep-9", **KEY}),
    ("user.approved", {"user_id": UID, "username": "ina", "customer_id": CID}, "APPROVED", KEY),
]


@pytest.mark.parametrize("projection", CALLERS, ids=["invitations", "notifications"])
@pytest.mark.parametrize("type_, data, statement, values", CASES, ids=[c[0] for c in CASES])
def test_callers_keep_each_users_current_status_and_roles(projection, type_, data, statement, values):
    [row] = projection.rows_for(event(type_, data))
    assert row.statement is getattr(callers, statement) and dict(row.values) == values
    assert row.key == ("demo", UID)


def test_granting_and_revoking_areas_read_the_row_so_they_never_fold():
    assert callers.AREA_GRANTED.merge is None and callers.AREA_REVOKED.merge is None
    assert callers.DISABLED.merge is not None


@pytest.mark.parametrize("projection", CALLERS + ENDED_SESSIONS, ids=lambda p: p.name)
def test_each_service_has_its_own_copy_its_own_consumer_group_and_a_versioned_table(projection):
    service = projection.name.split(".")[0]
    wired = getattr(__import__(f"{service}.bootstrap").bootstrap, "PROJECTIONS")
    assert projection in wired and projection.table.endswith("_v1")
    assert projection.name in (f"{service}.callers.v1", f"{service}.ended_sessions.v1")


@pytest.mark.parametrize("projection", ENDED_SESSIONS, ids=lambda p: p.name)
def test_an_ended_session_is_recorded_once_per_tenant(projection):
    ended = event("session.ended", {"user_id": UID, "username": "ina", "user_type": "staff", "session_id": SID,
                                    "reason": "logout"})
    [row] = projection.rows_for(ended)
    assert "ON CONFLICT (tenant_id, session_id) DO NOTHING" in row.statement.sql
    assert dict(row.values) == {"tenant_id": "demo", "session_id": SID, "user_id": UID, "reason": "logout", "at": AT}
    assert "CREATE TABLE IF NOT EXISTS x_r1" in projection.ddl("x_r1")
