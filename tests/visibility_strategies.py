"""Random readers and documents for property-based tests of who sees what, and the rules restated.

`should_see` is the issue's list of rules written again, independently of documents.domain.visibility,
so a property test compares the two: the service's rules against the specification.
"""
from __future__ import annotations

from hypothesis import strategies as st

from contracts.document_fields import QUOTE_STATUSES
from documents.domain.visibility import Facts, Reader

TENANTS = ("acme", "globex")
ACCOUNTS = ("1200-ACME", "1300-GLOBEX")
USER_IDS = ("0b6c2a52-0000-4000-8000-000000000001", "0b6c2a52-0000-4000-8000-000000000002",
            "0b6c2a52-0000-4000-8000-000000000003")
AREAS = ("quotes", "orders", "invoices", "ar_statements", "shipments")
KINDS = ("quote", "order", "invoice", "ar_statement", "shipment")
STATUSES = QUOTE_STATUSES + ("Processing", "open", "paid", None)


def mostly(usual, rare):
    """Mostly the usual value: random users and documents then often meet (same tenant and account, an
    active user), so the rules after those get tried too, not only the first refusals."""
    return st.sampled_from((usual,) * 5 + (rare,))


readers = st.builds(
    Reader, tenant_id=mostly(*TENANTS), user_id=st.sampled_from(USER_IDS),
    user_type=mostly("portal", "staff"), kind=st.sampled_from(("management", "staff")),
    receivable_account=mostly(*ACCOUNTS), areas=st.frozensets(st.sampled_from(AREAS)),
    own_orders_only=st.booleans(), approved=mostly(True, False), disabled=mostly(False, True),
    deleted=mostly(False, True))

documents = st.builds(
    Facts, tenant_id=mostly(*TENANTS), kind=st.sampled_from(KINDS),
    receivable_account=mostly(*ACCOUNTS), status=st.sampled_from(STATUSES),
    placed_by=st.sampled_from(USER_IDS + (None,)))


def should_see(r: Reader, d: Facts) -> bool:
    """The issue's rules, as a checklist."""
    active = r.user_type == "portal" and r.approved and not r.disabled and not r.deleted
    own_account = r.tenant_id == d.tenant_id and r.receivable_account == d.receivable_account
    area = {"quote": "quotes", "order": "orders", "invoice": "invoices", "ar_statement": "ar_statements",
            "shipment": "shipments"}[d.kind] in r.areas
    released = d.kind != "quote" or d.status in ("pending", "accepted", "declined", "expired")
    own_order = d.kind != "order" or not r.own_orders_only or d.placed_by == r.user_id
    no_statement_for_staff = not (r.kind == "staff" and d.kind == "ar_statement")
    return active and own_account and area and released and own_order and no_statement_for_staff
