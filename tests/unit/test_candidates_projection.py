"""The candidates projection: an event in, the exact statements out (table-driven, as ZITADEL's)."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from invitations.adapters.projections.candidates import PROJECTION

CID = "2f1c8f4e-0000-4000-8000-000000000001"


def event(type_, data):
    return StoredEvent(1, f"customer-{CID}", "customer", 1, uuid.uuid4(), f"portico.identity.customer.{type_}",
                       1, "demo", datetime.now(timezone.utc), "staff", uuid.uuid4(), None, None, data)


ADDED = {"customer_id": CID, "code": "A1", "name": "Acme", "kind": "company", "receivable_account": "1",
         "customer_type": "Retail", "sales_rep": None, "price_list": None, "emails": ["a@acme.example"]}


@pytest.mark.parametrize("type_, data, sql, params", [
    ("created", ADDED,
     "INSERT INTO candidates_v1 (tenant_id, customer_id, code, name, kind, customer_type, sales_rep, price_list,"
     " emails) VALUES (%(tenant_id)s, %(customer_id)s, %(code)s, %(name)s, %(kind)s, %(customer_type)s,"
     " %(sales_rep)s, %(price_list)s, %(emails)s) ON CONFLICT (tenant_id, customer_id) DO UPDATE SET"
     " code = EXCLUDED.code, name = EXCLUDED.name, kind = EXCLUDED.kind, customer_type = EXCLUDED.customer_type,"
     " sales_rep = EXCLUDED.sales_rep, price_list = EXCLUDED.price_list, emails = EXCLUDED.emails",
     {"tenant_id": "demo", "customer_id": CID, "code": "A1", "name": "Acme", "kind": "company",
      "customer_type": "Retail", "sales_rep": None, "price_list": None, "emails": ["a@acme.example"]}),
    ("updated", {"customer_id": CID, "code": "A1", "changes": {"name": "Acme 2", "phone": "555", "sales_rep": "r"}},
     "UPDATE candidates_v1 SET name = %(name)s, sales_rep = %(sales_rep)s"
     " WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
     {"name": "Acme 2", "sales_rep": "r", "tenant_id": "demo", "customer_id": CID}),
    ("archived", {"customer_id": CID, "code": "A1", "reason": None},
     "UPDATE candidates_v1 SET archived = true WHERE tenant_id = %(tenant_id)s AND customer_id = %(customer_id)s",
     {"tenant_id": "demo", "customer_id": CID}),
])
def test_each_customer_event_becomes_one_statement(type_, data, sql, params):
    [statement] = PROJECTION.statements_for(event(type_, data))
    assert statement.sql == sql
    assert statement.params == params


def test_an_update_of_fields_it_does_not_keep_changes_nothing():
    assert PROJECTION.statements_for(event("updated", {"customer_id": CID, "code": "A1",
                                                       "changes": {"phone": "555"}})) == []


def test_imported_and_created_customers_are_projected_alike():
    assert PROJECTION.statements_for(event("imported", ADDED)) == PROJECTION.statements_for(event("created", ADDED))


def test_a_rebuild_writes_the_same_statements_to_its_own_table():
    [statement] = PROJECTION.on_table("candidates_v1_r20261128").statements_for(event("archived", {
        "customer_id": CID, "code": "A1", "reason": None}))
    assert statement.sql.startswith("UPDATE candidates_v1_r20261128 SET archived = true")


def test_the_table_ddl_names_the_copy_it_creates():
    ddl = PROJECTION.ddl("candidates_v1_r1")
    assert "CREATE TABLE IF NOT EXISTS candidates_v1_r1 (" in ddl
    assert "candidates_v1_r1_listing ON candidates_v1_r1" in ddl and "DEFAULT '{}'" in ddl
