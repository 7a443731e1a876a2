"""The documents service's projections: an event in, the exact rows out (table-driven)."""
import uuid
from datetime import datetime, timezone

import pytest

from documents.adapters.projections import documents, users
from documents.adapters.projections.documents import PROJECTION as DOCUMENTS, search_text
from documents.adapters.projections.users import PROJECTION as USERS
from eventkit.envelope import StoredEvent
from tests.documents_samples import content

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
DID, UID, CID = (f"2f1c8f4e-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))


def event(type_, data, version=2):
    return StoredEvent(9, f"x-{DID}", "x", version, uuid.uuid4(), type_, 1, "demo", AT, "erp:main", uuid.uuid4(),
                       None, None, data)


def test_a_published_order_keeps_its_internal_status_apart_from_the_status_customers_see():
    order = content("order", placed_by_user_id=UID)
    [row] = DOCUMENTS.rows_for(event("portico.documents.order.published",
                                     {"document_id": DID, "number": "SO-1", "document": order}))
    assert row.statement is documents.STORED
    assert "WHERE {table}.version < EXCLUDED.version" in documents.STORED.sql  # an older version changes nothing
    assert row.values == {
        "tenant_id": "demo", "document_id": DID, "kind": "order", "number": "SO-1", "receivable_account": "1200-ACME",
        "status": "Processing", "internal_status": "credit hold", "placed_by": UID, "issued_on": "2026-01-20",
        "search_text": "so-1 po-77 bolt-m8 hex bolt m8x40", "content": order, "version": 2, "at": AT}


def test_an_update_writes_the_same_row():
    data = {"document_id": DID, "number": "Q-1", "document": content("quote"), "changed": ["status"]}
    [row] = DOCUMENTS.rows_for(event("portico.documents.quote.updated", data))
    assert row.statement is documents.STORED and row.values["status"] == "pending"


def test_a_withdrawn_document_leaves_the_table():
    [row] = DOCUMENTS.rows_for(event("portico.documents.invoice.withdrawn", {
        "document_id": DID, "number": "I-1", "receivable_account": "1200-ACME", "reason": None}))
    assert (row.statement, row.values) == (documents.WITHDRAWN, {"tenant_id": "demo", "document_id": DID})


def test_search_never_matches_an_amount_or_an_internal_status():
    words = search_text(content("order"), "SO-1")
    assert "credit" not in words and "29.75" not in words and "0.25" not in words


PORTAL = {"user_id": UID, "username": "ada", "kind": "staff", "customer_id": CID, "customer_code": "A1",
          "contact_id": None, "receivable_account": "1200-ACME", "emails": [], "areas": ["orders", "invoices"],
          "own_orders_only": True}
KEY = {"tenant_id": "demo", "user_id": UID, "version": 2, "at": AT}


@pytest.mark.parametrize("type_, data, statement, values", [
    ("user.registered", PORTAL, users.ADDED,
     {"approved": False, "areas": ["invoices", "orders"], "customer_id": CID, "kind": "staff",
      "own_orders_only": True, "receivable_account": "1200-ACME", "user_type": "portal", "username": "ada",
      "staff_roles": [], "sales_rep": None, **KEY}),
    ("user.approved", {"user_id": UID, "username": "ada", "customer_id": CID}, users.APPROVED, KEY),
    ("user.deleted", {"user_id": UID, "username": "ada", "user_type": "portal", "customer_id": CID, "reason": None},
     users.DELETED, KEY),
    ("user.disabled", {"user_id": UID, "username": "ada", "user_type": "portal"}, users.DISABLED,
     {"disabled": True, **KEY}),
    ("user.role_revoked", {"user_id": UID, "username": "ada", "area": "orders", "role": "portal.orders"},
     users.AREA_REVOKED, {"area": "orders", **KEY}),
    ("user.own_orders_only_changed", {"user_id": UID, "username": "ada", "own_orders_only": False},
     users.OWN_ORDERS_ONLY, {"own_orders_only": False, **KEY}),
    ("staff_user.roles_changed", {"user_id": UID, "username": "ada", "roles": ["sales-rep"], "sales_rep": "rep-7"},
     users.STAFF_ROLES, {"staff_roles": ["sales-rep"], "sales_rep": "rep-7", **KEY}),
])
def test_users_projection(type_, data, statement, values):
    [row] = USERS.rows_for(event(f"portico.identity.{type_}", data))
    assert row.statement is statement and row.values == values


def test_granting_and_revoking_areas_read_the_row_so_they_never_fold():
    assert users.AREA_GRANTED.merge is None and users.AREA_REVOKED.merge is None
    assert users.APPROVED.merge is not None


def test_users_projection_ignores_what_visibility_does_not_need():
    assert not USERS.handles("portico.identity.user.password_set")
    assert not USERS.handles("portico.identity.customer.created")
