"""The candidates projection: an event in, the exact rows out (table-driven, as ZITADEL's)."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from eventkit.set_apply import sql_of
from invitations.adapters.projections.candidates import ADDED as ADD, ARCHIVED, PROJECTION, UPDATED

CID = "2f1c8f4e-0000-4000-8000-000000000001"


def event(type_, data):
    return StoredEvent(1, f"customer-{CID}", "customer", 1, uuid.uuid4(), f"portico.identity.customer.{type_}",
                       1, "demo", datetime.now(timezone.utc), "staff", uuid.uuid4(), None, None, data)


ADDED = {"customer_id": CID, "code": "A1", "name": "Acme", "kind": "company", "receivable_account": "1",
         "customer_type": "Retail", "sales_rep": None, "price_list": None, "emails": ["a@acme.example"]}


@pytest.mark.parametrize("type_, data, statement, values", [
    ("created", ADDED, ADD,
     {"tenant_id": "demo", "customer_id": CID, "code": "A1", "name": "Acme", "kind": "company",
      "customer_type": "Retail", "sales_rep": None, "price_list": None, "emails": ["a@acme.example"]}),
    ("updated", {"customer_id": CID, "code": "A1", "changes": {"name": "Acme 2", "phone": "555", "sales_rep": "r"}},
     UPDATED, {"tenant_id": "demo", "customer_id": CID, "changes": {"name": "Acme 2", "sales_rep": "r"}}),
    ("archived", {"customer_id": CID, "code": "A1", "reason": None}, ARCHIVED, {"tenant_id": "demo", "customer_id": CID}),
])
def test_each_customer_event_becomes_one_row(type_, data, statement, values):
    [row] = PROJECTION.rows_for(event(type_, data))
    assert row.statement is statement and row.values == values


def test_an_update_of_fields_it_does_not_keep_changes_nothing():
    assert PROJECTION.rows_for(event("updated", {"customer_id": CID, "code": "A1", "changes": {"phone": "555"}})) == []


def test_imported_and_created_customers_are_projected_alike():
    assert PROJECTION.rows_for(event("imported", ADDED)) == PROJECTION.rows_for(event("created", ADDED))


def test_a_rebuild_runs_the_same_statements_on_its_own_table():
    [row] = PROJECTION.rows_for(event("archived", {"customer_id": CID, "code": "A1", "reason": None}))
    assert sql_of(row.statement, "candidates_v1_r20261128").startswith(
        "UPDATE candidates_v1_r20261128 AS t SET archived = true FROM jsonb_to_recordset(%(rows)s::jsonb)")


def test_the_table_ddl_names_the_copy_it_creates():
    ddl = PROJECTION.ddl("candidates_v1_r1")
    assert "CREATE TABLE IF NOT EXISTS candidates_v1_r1 (" in ddl
    assert "candidates_v1_r1_listing ON candidates_v1_r1" in ddl and "DEFAULT '{}'" in ddl
