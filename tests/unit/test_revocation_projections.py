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
CALLERS = [invitations_callers, notifications_callers]


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


@pytest.mark.parametrize("callers", CALLERS, ids=["invitations", "notifications"])
@pytest.mark.parametrize("type_, data, statement, values", CASES, ids=[c[0] for c in CASES])
def test_callers_keep_each_users_current_status_and_roles(callers, type_, data, statement, values):
    [row] = callers.PROJECTION.rows_for(event(type_, data))
    assert row.statement is getattr(callers, statement) and dict(row.values) == values
    assert row.key == ("demo", UID)


@pytest.mark.parametrize("callers", CALLERS, ids=["invitations", "notifications"])
def test_granting_and_revoking_areas_read_the_row_so_they_never_fold(callers):
    assert callers.AREA_GRANTED.merge is None and callers.AREA_REVOKED.merge is None
    assert callers.DISABLED.merge is not None


@pytest.mark.parametrize("projection", [documents_sessions.PROJECTION, invitations_sessions.PROJECTION,
                                        notifications_sessions.PROJECTION])
def test_an_ended_session_is_recorded_once_per_tenant(projection):
    ended = event("session.ended", {"user_id": UID, "username": "ina", "user_type": "staff", "session_id": SID,
                                    "reason": "logout"})
    [row] = projection.rows_for(ended)
    assert "ON CONFLICT (tenant_id, session_id) DO NOTHING" in row.statement.sql
    assert dict(row.values) == {"tenant_id": "demo", "session_id": SID, "user_id": UID, "reason": "logout", "at": AT}
    assert "CREATE TABLE IF NOT EXISTS x_r1" in projection.ddl("x_r1")
