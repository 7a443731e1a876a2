"""The ERP publishes documents with its API key: PUT by number creates or replaces, each change one
event on the real broker, the same body again none; DELETE withdraws."""
from __future__ import annotations

from tests.conftest import eventually
from tests.documents_samples import body
from tests.integration.kafka_events import published

from .world import WAIT, new_number


def test_put_publishes_then_replaces_and_repeating_it_changes_nothing(world, infra, topic_prefix):
    number = new_number("INV")
    first = world.publish("invoice", number, "1200-ACME")
    again = world.publish("invoice", number, "1200-ACME")
    paid = world.publish("invoice", number, "1200-ACME", status="paid", amount_paid="29.75", balance_due="0.00")

    assert (first.status_code, first.json["changed"], first.json["version"]) == (201, True, 1)
    assert (again.status_code, again.json["changed"], again.json["position"]) == (200, False, None)
    assert (paid.status_code, paid.json["version"], paid.json["status"]) == (200, 2, "paid")
    events = eventually(lambda: _on_kafka(infra, topic_prefix, world.tenant, 2), timeout=WAIT)
    assert [(e["type"], e["actor"]) for e in events] == [("invoice.published", "erp:main ERP"),
                                                          ("invoice.updated", "erp:main ERP")]
    assert events[1]["data"]["changed"] == ["amount_paid", "balance_due", "status"]


def test_delete_withdraws_once(world, infra, topic_prefix):
    number = new_number("Q")
    world.publish("quote", number, "1200-ACME")
    url = f"{world.base}/documents/quotes/{number}"
    first = world.documents.delete(url, headers=world.erp, json={"reason": "superseded by a new revision"})
    second = world.documents.delete(url, headers=world.erp)
    missing = world.documents.delete(f"{world.base}/documents/quotes/NOPE-1", headers=world.erp)

    assert (first.status_code, first.json["withdrawn"], first.json["changed"]) == (200, True, True)
    assert (second.status_code, second.json["changed"]) == (200, False)
    assert (missing.status_code, missing.json["code"]) == (404, "document.not_found")
    events = eventually(lambda: _on_kafka(infra, topic_prefix, world.tenant, 2), timeout=WAIT)
    types = [e["type"] for e in events]
    assert types == ["quote.published", "quote.withdrawn"]


def test_without_a_valid_key_of_the_tenant_nothing_is_published(world, erp_headers, documents):
    url = f"{world.base}/documents/orders/{new_number('SO')}"
    other_tenant = erp_headers("someone-else")
    for headers, code in ((None, "auth.erp_key_missing"), (world.staff, "auth.erp_key_missing"),
                          ({"Authorization": "Bearer perp_made-up"}, "auth.erp_key_invalid"),
                          (other_tenant, "auth.erp_key_invalid")):
        r = documents.put(url, headers=headers, json=body("order", "1200-ACME"))
        assert (r.status_code, r.json["code"]) == (401, code)
        assert r.headers["WWW-Authenticate"].startswith("Bearer")


def test_a_bad_body_is_a_problem_naming_each_field(world):
    r = world.documents.put(f"{world.base}/documents/quotes/{new_number('Q')}", headers=world.erp,
                            json={**body("quote", "1200-ACME"), "status": "maybe", "total": 29.75, "surprise": 1})
    assert (r.status_code, r.json["code"]) == (400, "request.invalid")
    assert r.headers["Content-Type"] == "application/problem+json"
    assert {e["field"] for e in r.json["errors"]} == {"status", "total", "surprise"}
    bad_number = world.documents.put(f"{world.base}/documents/quotes/-bad", headers=world.erp,
                                     json=body("quote", "1200-ACME"))
    assert bad_number.json["errors"][0]["field"] == "number"


def _on_kafka(infra, topic_prefix, tenant, count):
    """The tenant's document events once the relay has published `count` of them."""
    events = published(infra, topic_prefix, tenant, topic="portico.documents")
    assert len(events) >= count, events
    return events
