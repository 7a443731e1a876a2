"""Identity's customers projection: an event in, the exact statements out (table-driven)."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from identity.adapters.projections.customers import PROJECTION

CID = "2f1c8f4e-0000-4000-8000-000000000001"
AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
KEY = {"tenant_id": "demo", "customer_id": CID, "version": 3, "at": AT}
WHERE = " WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s"


def event(type_, data):
    return StoredEvent(9, f"customer-{CID}", "customer", 3, uuid.uuid4(), f"portico.identity.customer.{type_}",
                       1, "demo", AT, "staff-1", uuid.uuid4(), None, None, data)


ADDED = {"customer_id": CID, "code": "A1", "name": "Acme", "kind": "company", "receivable_account": "1200",
         "customer_type": "Retail", "sales_rep": None, "price_list": "A", "emails": ["a@acme.example"],
         "phone": None, "billing_address": {"line1": "1 Main St", "city": "Leeds", "country": "GB"},
         "shipping_address": None}
CONTACT = {"customer_id": CID, "code": "A1", "contact_id": str(uuid.uuid4())}


@pytest.mark.parametrize("type_, data, sql, params", [
    ("created", ADDED,
     "INSERT INTO customers_v1 (tenant_id, customer_id, billing_address, code, customer_type, emails, kind, name,"
     " phone, price_list, receivable_account, sales_rep, shipping_address, version, updated_at)"
     " VALUES (%(tenant_id)s, %(customer_id)s, %(billing_address)s::jsonb, %(code)s, %(customer_type)s,"
     " %(emails)s, %(kind)s, %(name)s, %(phone)s, %(price_list)s, %(receivable_account)s, %(sales_rep)s,"
     " %(shipping_address)s::jsonb, %(version)s, %(at)s) ON CONFLICT (tenant_id, customer_id) DO NOTHING",
     {"code": "A1", "kind": "company", "name": "Acme", "receivable_account": "1200", "customer_type": "Retail",
      "sales_rep": None, "price_list": "A", "phone": None, "emails": ["a@acme.example"],
      "billing_address": '{"line1": "1 Main St", "city": "Leeds", "country": "GB"}', "shipping_address": None,
      **KEY}),
    ("updated", {"customer_id": CID, "code": "A1", "changes": {"name": "Acme 2", "shipping_address": None}},
     "UPDATE customers_v1 SET name = %(name)s, shipping_address = %(shipping_address)s::jsonb,"
     " version = %(version)s, updated_at = %(at)s" + WHERE,
     {"name": "Acme 2", "shipping_address": None, **KEY}),
    ("archived", {"customer_id": CID, "code": "A1", "reason": None},
     "UPDATE customers_v1 SET status = 'archived', version = %(version)s, updated_at = %(at)s" + WHERE, KEY),
    ("contact_added", {**CONTACT, "first_name": "J", "last_name": "D", "email": "j@acme.example", "phone": None,
                       "title": None},
     "UPDATE customers_v1 SET contacts = contacts + 1, version = %(version)s, updated_at = %(at)s" + WHERE, KEY),
    ("contact_updated", {**CONTACT, "changes": {"title": "CFO"}},
     "UPDATE customers_v1 SET version = %(version)s, updated_at = %(at)s" + WHERE, KEY),
    ("contact_removed", CONTACT,
     "UPDATE customers_v1 SET contacts = contacts - 1, version = %(version)s, updated_at = %(at)s" + WHERE, KEY),
])
def test_each_customer_event_becomes_one_statement(type_, data, sql, params):
    [statement] = PROJECTION.statements_for(event(type_, data))
    assert statement.sql == sql
    assert statement.params == params


def test_imported_and_created_customers_are_projected_alike():
    assert PROJECTION.statements_for(event("imported", ADDED)) == PROJECTION.statements_for(event("created", ADDED))
