"""Who lists which requests for quote, and the two projections behind the list: an event in, the statement out."""
import uuid
from datetime import datetime, timezone

import pytest

from documents.adapters.projections.customers import PROJECTION as CUSTOMERS
from documents.adapters.projections.rfqs import PROJECTION as RFQS
from documents.domain.rfq import RequestScope, readable_requests
from documents.domain.visibility import Reader
from documents.service_layer.rfq_queries import where
from eventkit.envelope import StoredEvent

AT = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
CID, UID, RID = (f"2f1c8f4e-0000-4000-8000-00000000000{i}" for i in (1, 2, 3))
BUYER = Reader("acme", UID, "portal", "management", "1200-ACME", frozenset({"quotes"}), customer_id=CID)


def staff(*roles, sales_rep=None, **flags):
    return Reader("acme", UID, "staff", staff_roles=frozenset(roles), sales_rep=sales_rep, **flags)


@pytest.mark.parametrize("reader, scope", [
    (BUYER, RequestScope("acme", customer_id=CID)),
    (staff("system-administrator"), RequestScope("acme")),
    (staff("in-house"), RequestScope("acme")),
    (staff("sales-rep", sales_rep="rep-7"), RequestScope("acme", sales_rep="rep-7")),
    (staff("sales-rep", "in-house", sales_rep="rep-7"), RequestScope("acme")),
])
def test_a_portal_user_lists_its_customers_requests_in_house_staff_all_and_a_rep_its_customers(reader, scope):
    assert readable_requests(reader) == scope


@pytest.mark.parametrize("reader", [
    None,
    Reader("acme", UID, "portal", "management", "1200-ACME", frozenset({"invoices"}), customer_id=CID),
    Reader("acme", UID, "portal", "management", "1200-ACME", frozenset({"quotes"}), approved=False, customer_id=CID),
    Reader("acme", UID, "portal", "management", "1200-ACME", frozenset({"quotes"}), disabled=True, customer_id=CID),
    staff("sales-rep"),  # a rep without a code has no customers
    staff("in-house", deleted=True),
    staff(),
])
def test_anyone_else_lists_none(reader):
    assert readable_requests(reader) is None


def test_the_scope_becomes_the_query_filter():
    assert where(RequestScope("acme")) == ("r.tenant_id = %(tenant_id)s", {"tenant_id": "acme"})
    assert where(RequestScope("acme", customer_id=CID)) == (
        "r.tenant_id = %(tenant_id)s AND r.customer_id = %(customer_id)s::uuid", {"tenant_id": "acme", "customer_id": CID})
    assert where(RequestScope("acme", sales_rep="rep-7")) == (
        "r.tenant_id = %(tenant_id)s AND c.sales_rep = %(sales_rep)s", {"tenant_id": "acme", "sales_rep": "rep-7"})


def event(type_, data, version=3):
    return StoredEvent(9, "s", "x", version, uuid.uuid4(), type_, 1, "acme", AT, "user:ada", uuid.uuid4(), None,
                       None, data)


def test_a_request_for_quote_is_kept_with_who_sent_it_and_when():
    data = {"request_id": RID, "receivable_account": "1200-ACME", "customer_id": CID,
            "requested_by": {"user_id": UID, "username": "ada"}, "notes": "urgent",
            "lines": [{"line_number": 1, "description": "Hex bolt", "quantity": "500"}]}
    [row] = RFQS.rows_for(event("portico.documents.quote.requested", data))
    assert row.statement.sql.endswith("ON CONFLICT (tenant_id, request_id) DO NOTHING")
    assert row.values == {
        "tenant_id": "acme", "request_id": RID, "customer_id": CID, "receivable_account": "1200-ACME",
        "requested_by": UID, "requested_by_name": "ada", "notes": "urgent", "requested_at": AT,
        "lines": [{"line_number": 1, "description": "Hex bolt", "quantity": "500"}]}


def test_a_customer_keeps_its_name_and_sales_rep_and_only_their_changes_count():
    fields = {"customer_id": CID, "code": "ACME", "kind": "company", "name": "Acme Ltd", "receivable_account": "1",
              "sales_rep": "rep-7", "emails": []}
    [added] = CUSTOMERS.rows_for(event("portico.identity.customer.imported", fields))
    assert added.statement.sql.endswith("WHERE {table}.version < EXCLUDED.version")
    assert (added.values["name"], added.values["sales_rep"], added.values["version"]) == ("Acme Ltd", "rep-7", 3)
    [renamed] = CUSTOMERS.rows_for(event("portico.identity.customer.updated", {
        "customer_id": CID, "code": "ACME", "changes": {"sales_rep": None, "phone": "1"}}))
    assert renamed.values["changes"] == {"sales_rep": None}
    assert CUSTOMERS.rows_for(event("portico.identity.customer.updated", {
        "customer_id": CID, "code": "ACME", "changes": {"phone": "1"}})) == []
