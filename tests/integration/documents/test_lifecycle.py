"""Nothing at all while pending, disabled or deleted (the token itself is refused: 401 auth.token_revoked);
a revoked role or a deletion counts as soon as the documents service has the event, while the user's
access token is still valid."""
from __future__ import annotations

from tests.conftest import eventually

from .world import WAIT, new_number


def refused(world, user: dict) -> None:
    r = world.documents.get(f"{world.base}/documents", headers=world.token(user))
    assert r.status_code == 401 and r.json["code"] == "auth.token_revoked", r.json


def test_pending_sees_nothing_until_approved_disabled_nothing_until_enabled_deleted_nothing(world):
    world.customer("ACME", "1200-ACME")
    auditor = world.staff_user("auditor")
    invoice = new_number("INV")
    world.publish("invoice", invoice, "1200-ACME")
    r = world.identity.post(f"{world.base}/registrations", json={
        "username": "erin", "password": "correct horse battery staple", "first_name": "Erin", "last_name": "Example",
        "emails": ["erin@example.com"], "customer_code": "ACME"})
    assert r.status_code == 201, r.json
    erin = r.json
    world.access(erin, areas=["ALL"])

    world.decided(auditor, erin, "invoice", invoice, "reader.pending")
    refused(world, erin)
    assert world.show(erin, "invoice", invoice).status_code == 401
    for action, rule in (("approve", "visible"), ("disable", "reader.disabled"), ("enable", "visible"),
                         ("delete", "reader.deleted")):
        world.change(erin, action)
        world.decided(auditor, erin, "invoice", invoice, rule)
        if rule == "visible":
            assert world.listing(erin) == [f"invoice:{invoice}"]
        else:
            refused(world, erin)


def test_revoking_an_area_takes_effect_for_a_token_issued_before(world):
    world.customer("ACME", "1200-ACME")
    alice = world.user("ACME", "alice", areas=["Invoices", "Orders"])
    token = world.token(alice)
    invoice, order = new_number("INV"), new_number("SO")
    world.publish("invoice", invoice, "1200-ACME")
    world.publish("order", order, "1200-ACME")

    def listed(expected):
        r = world.documents.get(f"{world.base}/documents", headers=token)
        assert sorted(f"{i['kind']}:{i['number']}" for i in r.json["items"]) == expected

    eventually(lambda: listed(sorted([f"invoice:{invoice}", f"order:{order}"])), timeout=WAIT)
    world.access(alice, areas=["Orders"])
    eventually(lambda: listed([f"order:{order}"]), timeout=WAIT)
    world.change(alice, "delete")
    eventually(lambda: refused(world, alice), timeout=WAIT)
    assert world.documents.get(f"{world.base}/documents/orders/{order}", headers=token).status_code == 401
