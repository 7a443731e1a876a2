"""A portal user with the Quotes area sends a request for quote; it reaches the ERP as QuoteRequested."""
from __future__ import annotations

from tests.conftest import eventually

from .world import WAIT
from tests.integration.kafka_events import published

RFQ = {"lines": [{"line_number": 1, "description": "Stainless hex bolts M8x40", "quantity": "5000", "unit": "pcs",
                  "needed_by": "2026-03-01"}], "notes": "Delivery to the Leeds warehouse"}


def test_a_request_for_quote_is_published_once_per_idempotency_key(world, infra, topic_prefix):
    world.customer("ACME", "1200-ACME")
    alice = world.user("ACME", "alice", areas=["Quotes"])
    headers = {**world.token(alice), "Idempotency-Key": "rfq-2026-001"}
    url = f"{world.base}/rfqs"

    first = eventually(lambda: _accepted(world.documents.post(url, headers=headers, json=RFQ)), timeout=WAIT)
    again = world.documents.post(url, headers=headers, json=RFQ)
    changed = world.documents.post(url, headers=headers, json={**RFQ, "notes": "another"})

    assert (again.status_code, again.json["request_id"]) == (202, first.json["request_id"])
    assert (changed.status_code, changed.json["code"]) == (422, "rfq.idempotency_key_reused")
    [event] = eventually(lambda: _on_kafka(infra, topic_prefix, world.tenant), timeout=WAIT)
    assert event["type"] == "quote.requested" and event["actor"] == "user:alice"
    assert event["data"]["requested_by"] == {"user_id": alice["user_id"], "username": "alice"}
    assert event["data"]["receivable_account"] == "1200-ACME" and event["data"]["lines"] == [{**RFQ["lines"][0],
                                                                                             "item_code": None}]


def test_without_the_quotes_area_no_request_is_sent(world):
    world.customer("ACME", "1200-ACME")
    bob = world.user("ACME", "bob", areas=["Invoices"])
    world.publish("invoice", "INV-1", "1200-ACME")
    # Once bob sees the invoice, the service knows him: the refusal below is the area's, not lag's.
    eventually(lambda: _assert_equal(world.listing(bob), ["invoice:INV-1"]), timeout=WAIT)
    r = world.documents.post(f"{world.base}/rfqs", headers=world.token(bob), json=RFQ)
    assert (r.status_code, r.json["code"]) == (403, "rfq.quotes_area_required")


def _accepted(response):
    assert response.status_code == 202, response.json
    return response


def _assert_equal(actual, expected):
    assert actual == expected


def _on_kafka(infra, topic_prefix, tenant):
    events = published(infra, topic_prefix, tenant, topic="portico.documents")
    assert events, "QuoteRequested not on Kafka yet"
    return events
