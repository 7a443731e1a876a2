"""The notifications projections: an event in, the exact rows out."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from notifications.adapters.projections import customers, mailings, tenants, users
from notifications.bootstrap import PROJECTIONS
from notifications.domain import triggers

UID, CID = "7d0c2b6e-0000-4000-8000-000000000001", "2f1c8f4e-0000-4000-8000-000000000001"


def event(type_, data, tenant="demo"):
    return StoredEvent(1, "s-1", "s", 1, uuid.uuid4(), f"portico.{type_}", 1, tenant,
                       datetime(2026, 1, 15, tzinfo=timezone.utc), "staff", uuid.uuid4(), None, None, data)


STAFF = {"user_id": UID, "username": "sam", "name": "Sam", "emails": ["sam@acme.example"], "roles": ["in-house"],
         "sales_rep": None, "password_setup": "initial_password", "set_password_token": None,
         "set_password_expires_at": None}


@pytest.mark.parametrize("projection, type_, data, statement, values", [
    (users.PROJECTION, "identity.staff_user.created", STAFF, users.ADDED,
     {"tenant_id": "demo", "user_id": UID, "username": "sam", "user_type": "staff", "customer_id": None,
      "emails": ["sam@acme.example"]}),
    (users.PROJECTION, "identity.user.deleted",
     {"user_id": UID, "username": "sam", "user_type": "staff", "customer_id": None, "reason": None},
     users.DELETED, {"tenant_id": "demo", "user_id": UID}),
    (customers.PROJECTION, "identity.customer.updated", {"customer_id": CID, "code": "C1",
                                                         "changes": {"emails": ["ap@c.example"], "phone": "1"}},
     customers.UPDATED, {"changes": {"emails": ["ap@c.example"]}, "tenant_id": "demo", "customer_id": CID}),
    (tenants.PROJECTION, "invitations.settings.username_administrators_changed",
     {"emails": ["Boss@Acme.example", "it@acme.example"]}, tenants.ADMINISTRATORS,
     {"tenant_id": "demo", "emails": ["boss@acme.example", "it@acme.example"]}),
])
def test_each_fact_event_becomes_one_row(projection, type_, data, statement, values):
    [row] = projection.rows_for(event(type_, data))
    assert row.statement is statement and row.values == values


def test_triggering_user_events_are_noted_without_a_change_so_the_dispatcher_can_wait_for_them():
    approved = event("identity.user.approved", {"user_id": UID, "username": "ada", "customer_id": CID})
    assert users.PROJECTION.handles(approved.type)
    assert users.PROJECTION.rows_for(approved) == []


@pytest.mark.parametrize("type_", [t for t in triggers.TRIGGERS if t.startswith("portico.identity.")])
def test_every_identity_event_that_calls_for_an_email_is_noted_so_its_email_need_not_wait(type_):
    # The dispatcher holds a user's e-mail until this projection has processed its event (or 60 s have passed):
    # the second-factor notices once waited the whole minute.
    assert users.PROJECTION.handles(type_)


def test_a_triggering_event_becomes_one_mailing_row_per_kind():
    registered = event("identity.user.registered", {
        "user_id": UID, "username": "ada", "kind": "management", "customer_id": CID, "customer_code": "C1",
        "contact_id": None, "receivable_account": "1", "emails": ["a@x.example"], "areas": [], "own_orders_only": False,
        "first_name": "Ada", "last_name": "L", "business_name": None, "source": "self", "invitation_id": None})
    *inserts, wakeup = mailings.PROJECTION.rows_for(registered)
    assert [r.values["kind"] for r in inserts] == ["registration_received", "username_review"]
    assert all(r.statement is mailings.CALLED_FOR for r in inserts)
    assert inserts[0].values["event_id"] == registered.id and inserts[0].values["user_id"] == UID
    assert wakeup.statement.sql == "NOTIFY portico_mailings"  # the dispatcher wakes when the transaction commits
    unwelcome = event("identity.user.enabled", {"user_id": UID, "username": "ada", "user_type": "portal"})
    assert list(mailings.PROJECTION.rows_for(unwelcome)) == []


def test_every_projection_has_a_versioned_table_and_ddl_for_any_copy():
    for projection in PROJECTIONS:
        assert projection.table.endswith("_v1") and projection.name.startswith("notifications.")
        assert "CREATE TABLE IF NOT EXISTS x_r1" in projection.ddl("x_r1")
