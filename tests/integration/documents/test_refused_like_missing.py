"""A document the user may not see is answered exactly as one that does not exist: its existence does
not leak. Compared on the same URL before and after the ERP withdraws the document."""
from __future__ import annotations

import json

from tests.conftest import eventually

from .world import WAIT, new_number

VARYING = {"X-Correlation-ID", "traceparent", "Date"}


def _answer(response):
    headers = {k: v for k, v in response.headers.items() if k not in VARYING}
    return response.status_code, headers, response.get_data()


def test_a_refused_document_gets_the_same_404_as_a_missing_one(world):
    world.customer("ACME", "1200-ACME")
    world.customer("GLOBEX", "1300-GLOBEX")
    auditor = world.staff_user("auditor")
    alice = world.user("ACME", "alice")
    theirs = new_number("INV")
    world.publish("invoice", theirs, "1300-GLOBEX")
    world.decided(auditor, alice, "invoice", theirs, "account.other")
    refused = _answer(world.show(alice, "invoice", theirs))

    world.documents.delete(f"{world.base}/documents/invoices/{theirs}", headers=world.erp)
    eventually(lambda: _assert_status(world.why(auditor, alice, "invoice", theirs), 404), timeout=WAIT)
    missing = _answer(world.show(alice, "invoice", theirs))

    assert refused == missing
    assert refused[0] == 404 and json.loads(refused[2])["code"] == "document.not_found"


def _assert_status(response, status):
    assert response.status_code == status, response.json
