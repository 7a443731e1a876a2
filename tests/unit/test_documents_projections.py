"""The documents service's projections: an event in, the exact statements out (table-driven)."""
import json
import uuid
from datetime import datetime, timezone

import pytest

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
    [statement] = DOCUMENTS.statements_for(event("portico.documents.order.published",
                                                 {"document_id": DID, "number": "SO-1", "document": order}))
    assert statement.sql.startswith(
        "INSERT INTO documents_v1 (tenant_id, document_id, kind, number, receivable_account, status,"
        " internal_status, placed_by, issued_on, search_text, content, version, updated_at) VALUES (")
    assert statement.sql.endswith("WHERE documents_v1.version < EXCLUDED.version")
    assert statement.params == {
        "tenant_id": "demo", "document_id": DID, "kind": "order", "number": "SO-1", "receivable_account": "1200-ACME",
        "status": "Processing", "internal_status": "credit hold", "placed_by": UID, "issued_on": "2026-01-20",
        "search_text": "so-1 po-77 bolt-m8 hex bolt m8x40", "content": json.dumps(order), "version": 2, "at": AT}


def test_an_update_writes_the_same_row_and_a_rebuild_writes_its_own_table():
    data = {"document_id": DID, "number": "Q-1", "document": content("quote"), "changed": ["status"]}
    [statement] = DOCUMENTS.on_table("documents_v1_r1").statements_for(event("portico.documents.quote.updated", data))
    assert statement.sql.startswith("INSERT INTO documents_v1_r1 ")
    assert statement.params["status"] == "pending"


def test_a_withdrawn_document_leaves_the_table():
    [statement] = DOCUMENTS.statements_for(event("portico.documents.invoice.withdrawn", {
        "document_id": DID, "number": "I-1", "receivable_account": "1200-ACME", "reason": None}))
    assert statement.sql == "DELETE FROM documents_v1 WHERE tenant_id = %(tenant_id)s AND document_id = %(document_id)s"


def test_search_never_matches_an_amount_or_an_internal_status():
    words = search_text(content("order"), "SO-1")
    assert "credit" not in words and "29.75" not in words and "0.25" not in words


PORTAL = {"user_id": UID, "username": "ada", "kind": "staff", "customer_id": CID, "customer_code": "A1",
          "contact_id": None, "receivable_account": "1200-ACME", "emails": [], "areas": ["orders", "invoices"],
          "own_orders_only": True}
KEY = {"tenant_id": "demo", "user_id": UID, "version": 2, "at": AT}
SET = ", version = %(version)s, updated_at = %(at)s WHERE tenant_id = %(tenant_id)s AND user_id = %(user_id)s"


@pytest.mark.parametrize("type_, data, sql, params", [
    ("user.registered", PORTAL,
     "INSERT INTO users_v1 (tenant_id, user_id, approved, areas, customer_id, kind, own_orders_only,"
     " receivable_account, user_type, username, version, updated_at) VALUES (%(tenant_id)s, %(user_id)s,"
     " %(approved)s, %(areas)s, %(customer_id)s, %(kind)s, %(own_orders_only)s, %(receivable_account)s,"
     " %(user_type)s, %(username)s, %(version)s, %(at)s) ON CONFLICT (tenant_id, user_id) DO NOTHING",
     {"approved": False, "areas": ["invoices", "orders"], "customer_id": CID, "kind": "staff",
      "own_orders_only": True, "receivable_account": "1200-ACME", "user_type": "portal", "username": "ada", **KEY}),
    ("user.approved", {"user_id": UID, "username": "ada", "customer_id": CID},
     "UPDATE users_v1 SET approved = true" + SET, KEY),
    ("user.deleted", {"user_id": UID, "username": "ada", "user_type": "portal", "customer_id": CID, "reason": None},
     "UPDATE users_v1 SET deleted = true" + SET, KEY),
    ("user.role_revoked", {"user_id": UID, "username": "ada", "area": "orders", "role": "portal.orders"},
     "UPDATE users_v1 SET areas = array_remove(areas, %(area)s)" + SET, {"area": "orders", **KEY}),
    ("user.own_orders_only_changed", {"user_id": UID, "username": "ada", "own_orders_only": False},
     "UPDATE users_v1 SET own_orders_only = %(flag)s" + SET, {"flag": False, **KEY}),
    ("staff_user.roles_changed", {"user_id": UID, "username": "ada", "roles": ["sales-rep"], "sales_rep": "rep-7"},
     "UPDATE users_v1 SET staff_roles = %(roles)s, sales_rep = %(sales_rep)s" + SET,
     {"roles": ["sales-rep"], "sales_rep": "rep-7", **KEY}),
])
def test_users_projection(type_, data, sql, params):
    [statement] = USERS.statements_for(event(f"portico.identity.{type_}", data))
    assert (statement.sql, statement.params) == (sql, params)


def test_users_projection_ignores_what_visibility_does_not_need():
    assert not USERS.handles("portico.identity.user.password_set")
    assert not USERS.handles("portico.identity.customer.created")
