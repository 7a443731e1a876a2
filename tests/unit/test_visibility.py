"""Each visibility rule on its own: one reader, one document, the rule that decides (seeds 002, 003, 004)."""
from dataclasses import replace

import pytest

from documents.domain.visibility import MONEY, Facts, Reader, decide, explain, redact, scope

ALICE = Reader("acme", "u-alice", "portal", "management", "1200-ACME",
               frozenset({"quotes", "orders", "invoices", "ar_statements", "shipments"}), username="alice")
INVOICE = Facts("acme", "invoice", "1200-ACME", "open")


@pytest.mark.parametrize("reader, document, rule", [
    (None, INVOICE, "reader.unknown"),
    (replace(ALICE, user_type="staff"), INVOICE, "reader.not_portal_user"),
    (replace(ALICE, deleted=True), INVOICE, "reader.deleted"),
    (replace(ALICE, approved=False), INVOICE, "reader.pending"),
    (replace(ALICE, disabled=True), INVOICE, "reader.disabled"),
    (ALICE, replace(INVOICE, tenant_id="other"), "tenant.other"),
    (ALICE, replace(INVOICE, receivable_account="1300-OTHER"), "account.other"),
    (replace(ALICE, areas=frozenset({"quotes"})), INVOICE, "area.not_held"),
    (replace(ALICE, kind="staff"), Facts("acme", "ar_statement", "1200-ACME"), "staff_kind.no_statements"),
    (ALICE, Facts("acme", "quote", "1200-ACME", "draft"), "quote.not_released"),
    (ALICE, Facts("acme", "quote", "1200-ACME", "open"), "quote.not_released"),
    (replace(ALICE, own_orders_only=True), Facts("acme", "order", "1200-ACME", placed_by="u-bob"), "order.not_own"),
    (replace(ALICE, own_orders_only=True), Facts("acme", "order", "1200-ACME", placed_by=None), "order.not_own"),
])
def test_each_rule_refuses_and_names_itself(reader, document, rule):
    decision = decide(reader, document)
    assert (decision.visible, decision.rule) == (False, rule)
    assert explain(reader, document, decision)


@pytest.mark.parametrize("status", ["pending", "accepted", "declined", "expired"])
def test_a_quote_is_seen_once_released_and_after(status):
    assert decide(ALICE, Facts("acme", "quote", "1200-ACME", status)).visible


def test_own_orders_only_still_sees_the_orders_it_placed():
    assert decide(replace(ALICE, own_orders_only=True), Facts("acme", "order", "1200-ACME", placed_by="u-alice")).visible


def test_an_order_never_shows_its_internal_status_and_a_management_user_sees_amounts():
    decision = decide(ALICE, Facts("acme", "order", "1200-ACME", "Processing"))
    assert decision.visible and decision.redactions == ("internal_status",)


def test_a_staff_kind_user_sees_the_invoice_without_any_amount():
    decision = decide(replace(ALICE, kind="staff"), INVOICE)
    assert decision.visible and decision.redactions == MONEY
    shown = redact({"number": "I-1", "total": "9.00", "balance_due": "9.00",
                    "lines": [{"description": "Bolt", "quantity": "1", "unit_price": "9.00", "amount": "9.00"}]},
                   decision.redactions)
    assert shown == {"number": "I-1", "lines": [{"description": "Bolt", "quantity": "1"}]}


def test_the_list_scope_of_an_inactive_or_arealess_user_is_nothing():
    assert scope(None) is None
    assert scope(replace(ALICE, disabled=True)) is None
    assert scope(replace(ALICE, areas=frozenset())) is None
    assert scope(replace(ALICE, kind="staff", areas=frozenset({"ar_statements"}))) is None


def test_the_list_scope_names_account_kinds_and_own_orders():
    s = scope(replace(ALICE, kind="staff", own_orders_only=True))
    assert (s.receivable_account, s.orders_placed_by) == ("1200-ACME", "u-alice")
    assert s.kinds == ("quote", "order", "invoice", "shipment")
