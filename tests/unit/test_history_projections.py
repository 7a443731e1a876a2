"""The documents service's history projections (issue 17): an event in, the exact version row out."""
import uuid
from datetime import datetime, timezone

import pytest

from documents.adapters.projections import document_versions, user_versions
from eventkit.envelope import StoredEvent
from tests.documents_samples import content

AT = datetime(2026, 3, 14, 9, 0, tzinfo=timezone.utc)
DID, UID, CID = (f"2f1c8f4e-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
KEY = {"tenant_id": "demo", "user_id": UID, "version": 4, "at": AT}
PORTAL = {"user_id": UID, "username": "ada", "kind": "management", "customer_id": CID, "customer_code": "A1",
          "contact_id": None, "receivable_account": "1200-ACME", "emails": [], "areas": ["orders", "invoices"],
          "own_orders_only": False}


def event(type_, data, version=4):
    return StoredEvent(9, f"x-{DID}", "x", version, uuid.uuid4(), type_, 1, "demo", AT, "someone", uuid.uuid4(),
                       None, None, data)


def test_a_new_portal_user_is_its_first_whole_version():
    [row] = user_versions.PROJECTION.rows_for(event("portico.identity.user.registered", PORTAL, version=1))
    assert row.statement is user_versions.ADDED
    assert row.values == {**KEY, "version": 1, "user_type": "portal", "username": "ada", "kind": "management",
                          "customer_id": CID, "receivable_account": "1200-ACME", "areas": ["invoices", "orders"],
                          "own_orders_only": False, "approved": False, "staff_roles": [], "sales_rep": None,
                          "disabled": False, "deleted": False}


@pytest.mark.parametrize("verb, data, statement, values", [
    ("approved", {"customer_id": CID}, user_versions.APPROVED, {}),
    ("deleted", {"user_type": "portal", "customer_id": CID, "reason": None}, user_versions.DELETED, {}),
    ("disabled", {"user_type": "portal", "reason": None}, user_versions.DISABLED, {"flag": True}),
    ("enabled", {"user_type": "portal"}, user_versions.DISABLED, {"flag": False}),
    ("role_granted", {"area": "quotes", "role": "portal.quotes"}, user_versions.AREA_GRANTED, {"area": "quotes"}),
    ("role_revoked", {"area": "orders", "role": "portal.orders"}, user_versions.AREA_REVOKED, {"area": "orders"}),
    ("own_orders_only_changed", {"own_orders_only": True}, user_versions.OWN_ORDERS_ONLY, {"flag": True}),
])
def test_each_change_is_the_version_before_it_with_that_change(verb, data, statement, values):
    [row] = user_versions.PROJECTION.rows_for(event(f"portico.identity.user.{verb}",
                                                    {"user_id": UID, "username": "ada", **data}))
    assert (row.statement, row.values) == (statement, {**KEY, **values})
    assert "v.version < rows.version ORDER BY v.version DESC LIMIT 1" in statement.sql
    assert statement.merge is None  # it reads the version before: never folded with the next change


def test_a_staff_users_roles_change_is_a_version_too():
    [row] = user_versions.PROJECTION.rows_for(event("portico.identity.staff_user.roles_changed", {
        "user_id": UID, "username": "bo", "roles": ["sales-rep"], "sales_rep": "R7"}))
    assert (row.statement, row.values) == (user_versions.STAFF_ROLES,
                                           {**KEY, "staff_roles": ["sales-rep"], "sales_rep": "R7"})


def test_a_document_version_keeps_what_the_rules_look_at_as_it_was():
    order = content("order", placed_by_user_id=UID)
    [row] = document_versions.PROJECTION.rows_for(event("portico.documents.order.updated", {
        "document_id": DID, "number": "SO-1", "document": order, "changed": ["customer_status"]}))
    assert row.values == {"tenant_id": "demo", "document_id": DID, "version": 4, "at": AT, "kind": "order",
                          "number": "SO-1", "receivable_account": "1200-ACME", "status": "Processing",
                          "placed_by": UID, "issued_on": "2026-01-20", "withdrawn": False}


def test_a_withdrawal_is_a_version_nobody_sees():
    [row] = document_versions.PROJECTION.rows_for(event("portico.documents.invoice.withdrawn", {
        "document_id": DID, "number": "I-1", "receivable_account": "1200-ACME", "reason": None}))
    assert row.values["withdrawn"] is True and row.values["kind"] == "invoice" and row.values["at"] == AT
