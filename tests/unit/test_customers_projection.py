"""Identity's customers projection: an event in, the exact rows out (table-driven)."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from identity.adapters.projections.customers import ADDED as ADD, ARCHIVED, CONTACTS, PROJECTION, UPDATED

CID = "2f1c8f4e-0000-4000-8000-000000000001"
AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
KEY = {"tenant_id": "demo", "customer_id": CID, "version": 3, "at": AT}


def event(type_, data):
    return StoredEvent(9, f"customer-{CID}", "customer", 3, uuid.uuid4(), f"portico.identity.customer.{type_}",
                       1, "demo", AT, "staff-1", uuid.uuid4(), None, None, data)


ADDRESS = {"line1": "1 Main St", "city": "Leeds", "country": "GB"}
ADDED = {"customer_id": CID, "code": "A1", "name": "Acme", "kind": "company", "receivable_account": "1200",
         "customer_type": "Retail", "sales_rep": None, "price_list": "A", "emails": ["a@acme.example"],
         "phone": None, "billing_address": ADDRESS, "shipping_address": None}
CONTACT = {"customer_id": CID, "code": "A1", "contact_id": str(uuid.uuid4())}


@pytest.mark.parametrize("type_, data, statement, values", [
    ("created", ADDED, ADD,
     {"code": "A1", "kind": "company", "name": "Acme", "receivable_account": "1200", "customer_type": "Retail",
      "sales_rep": None, "price_list": "A", "phone": None, "emails": ["a@acme.example"],
      "billing_address": ADDRESS, "shipping_address": None, **KEY}),
    ("updated", {"customer_id": CID, "code": "A1", "changes": {"name": "Acme 2", "shipping_address": None}},
     UPDATED, {"changes": {"name": "Acme 2", "shipping_address": None}, **KEY}),
    ("archived", {"customer_id": CID, "code": "A1", "reason": None}, ARCHIVED, KEY),
    ("contact_added", {**CONTACT, "first_name": "J", "last_name": "D", "email": "j@acme.example", "phone": None,
                       "title": None}, CONTACTS, {"delta": 1, **KEY}),
    ("contact_updated", {**CONTACT, "changes": {"title": "CFO"}}, CONTACTS, {"delta": 0, **KEY}),
    ("contact_removed", CONTACT, CONTACTS, {"delta": -1, **KEY}),
])
def test_each_customer_event_becomes_one_row(type_, data, statement, values):
    [row] = PROJECTION.rows_for(event(type_, data))
    assert row.statement is statement and row.values == values


def test_imported_and_created_customers_are_projected_alike():
    assert PROJECTION.rows_for(event("imported", ADDED)) == PROJECTION.rows_for(event("created", ADDED))


def test_two_moves_of_a_customers_contact_count_in_one_batch_add_up():
    older, newer = {"delta": 1, **KEY}, {"delta": 1, **KEY, "version": 4}
    assert CONTACTS.merge(older, newer) == {"delta": 2, **KEY, "version": 4}
