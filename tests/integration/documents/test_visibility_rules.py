"""Each visibility rule shown against the real broker and database: users and roles made in identity,
documents published by the ERP, read by portal users with access tokens (seeds 002, 003, 004)."""
from __future__ import annotations

import json

from tests.conftest import eventually

from .world import WAIT, new_number


def setup(world):
    world.customer("ACME", "1200-ACME")
    world.customer("GLOBEX", "1300-GLOBEX")
    return world.staff_user("auditor")


def test_a_user_sees_only_documents_of_its_own_receivable_account(world):
    auditor = setup(world)
    alice = world.user("ACME", "alice")
    ours, theirs = new_number("INV"), new_number("INV")
    world.publish("invoice", ours, "1200-ACME")
    world.publish("invoice", theirs, "1300-GLOBEX")

    world.decided(auditor, alice, "invoice", theirs, "account.other")
    world.decided(auditor, alice, "invoice", ours, "visible")
    assert world.listing(alice) == [f"invoice:{ours}"]
    assert world.show(alice, "invoice", theirs).status_code == 404


def test_a_user_sees_only_the_areas_it_holds(world):
    auditor = setup(world)
    bob = world.user("ACME", "bob", areas=["Invoices"])
    quote, invoice, shipment = new_number("Q"), new_number("INV"), new_number("SH")
    world.publish("quote", quote, "1200-ACME")
    world.publish("invoice", invoice, "1200-ACME")
    world.publish("shipment", shipment, "1200-ACME")

    world.decided(auditor, bob, "quote", quote, "area.not_held")
    world.decided(auditor, bob, "shipment", shipment, "area.not_held")
    world.decided(auditor, bob, "invoice", invoice, "visible")
    assert world.listing(bob) == [f"invoice:{invoice}"]
    assert world.show(bob, "shipment", shipment).status_code == 404


def test_a_quote_is_seen_once_released_never_as_a_draft(world):
    auditor = setup(world)
    alice = world.user("ACME", "alice")
    draft, open_, released = new_number("Q"), new_number("Q"), new_number("Q")
    world.publish("quote", draft, "1200-ACME", status="draft")
    world.publish("quote", open_, "1200-ACME", status="open")
    world.publish("quote", released, "1200-ACME", status="pending")

    world.decided(auditor, alice, "quote", draft, "quote.not_released")
    world.decided(auditor, alice, "quote", open_, "quote.not_released")
    world.decided(auditor, alice, "quote", released, "visible")
    assert world.listing(alice) == [f"quote:{released}"]

    world.publish("quote", draft, "1200-ACME", status="pending")
    world.decided(auditor, alice, "quote", draft, "visible")
    world.publish("quote", released, "1200-ACME", status="accepted")
    both = sorted([f"quote:{draft}", f"quote:{released}"])
    eventually(lambda: _assert_equal(world.listing(alice), both), timeout=WAIT)


def test_an_order_shows_its_customer_facing_status_never_the_internal_one(world):
    auditor = setup(world)
    alice = world.user("ACME", "alice")
    order = new_number("SO")
    world.publish("order", order, "1200-ACME", internal_status="credit hold", customer_status="Processing")
    world.decided(auditor, alice, "order", order, "visible")

    shown = world.show(alice, "order", order)
    assert shown.json["customer_status"] == "Processing" and "internal_status" not in shown.json
    assert "credit hold" not in shown.get_data(as_text=True)
    listed = world.documents.get(f"{world.base}/documents", headers=world.token(alice))
    assert "credit hold" not in listed.get_data(as_text=True)
    assert world.listing(alice, q="credit") == [] and world.listing(alice, status="credit hold") == []
    assert world.listing(alice, status="Processing") == [f"order:{order}"]


def test_see_only_my_own_orders_shows_only_the_orders_the_user_placed(world):
    auditor = setup(world)
    carol = world.user("ACME", "carol", own_orders_only=True)
    manager = world.user("ACME", "manager")
    hers, his, nobodys = new_number("SO"), new_number("SO"), new_number("SO")
    world.publish("order", hers, "1200-ACME", placed_by_user_id=carol["user_id"])
    world.publish("order", his, "1200-ACME", placed_by_user_id=manager["user_id"])
    world.publish("order", nobodys, "1200-ACME")

    world.decided(auditor, carol, "order", his, "order.not_own")
    world.decided(auditor, carol, "order", nobodys, "order.not_own")
    world.decided(auditor, carol, "order", hers, "visible")
    assert world.listing(carol) == [f"order:{hers}"]
    world.decided(auditor, manager, "order", nobodys, "visible")
    assert world.listing(manager) == sorted(f"order:{n}" for n in (hers, his, nobodys))

    world.access(carol, own_orders_only=False)
    world.decided(auditor, carol, "order", his, "visible")
    assert len(world.listing(carol)) == 3


def test_a_staff_kind_user_sees_no_amounts_and_no_statements(world):
    auditor = setup(world)
    pair = world.user("ACME", "dora", staff_twin=True)
    management, staff = pair, pair["staff_user"]
    assert staff["kind"] == "staff"
    invoice, statement = new_number("INV"), new_number("ST")
    world.publish("invoice", invoice, "1200-ACME")
    world.publish("ar_statement", statement, "1200-ACME")

    world.decided(auditor, staff, "ar_statement", statement, "staff_kind.no_statements")
    why = world.decided(auditor, staff, "invoice", invoice, "visible")
    assert "total" in why["redactions"] and "lines[].unit_price" in why["redactions"]
    assert world.listing(staff) == [f"invoice:{invoice}"]
    shown = world.show(staff, "invoice", invoice).json
    assert not {"total", "subtotal", "tax", "balance_due", "amount_paid"} & set(shown)
    assert shown["lines"] == [{"line_number": 1, "item_code": "BOLT-M8", "description": "Hex bolt M8x40",
                               "quantity": "100", "unit": "pcs"}]
    assert "29.75" not in json.dumps(world.documents.get(f"{world.base}/documents", headers=world.token(staff)).json)

    world.decided(auditor, management, "ar_statement", statement, "visible")
    assert world.show(management, "invoice", invoice).json["total"] == "29.75"
    assert world.show(management, "ar_statement", statement).json["closing_balance"] == "129.75"


def _assert_equal(actual, expected):
    assert actual == expected
