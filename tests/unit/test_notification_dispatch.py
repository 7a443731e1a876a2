"""The dispatcher addresses each mailing on its own: one whose data cannot be addressed is logged and
skipped, and the others of its transaction are queued; a database error still fails the transaction."""
import uuid
from datetime import datetime, timezone

import psycopg
import pytest

from notifications.domain.facts import SenderSettings, TenantFacts
from notifications.service_layer.dispatch import Dispatcher

SENDER = SenderSettings("no-reply@acme.example", "Acme", None, "https://portal.example/acme")
CONFIG = {"STALE_AFTER_SECONDS": 86_400, "IDLE_WAIT_SECONDS": 1}


class FakeFacts:
    """The fact tables as the dispatcher reads them; `fail` raises instead."""

    def __init__(self, fail: Exception | None = None):
        self.fail = fail

    def user(self, tenant_id, user_id):
        if self.fail:
            raise self.fail
        return None

    def customer(self, tenant_id, customer_id):
        return None

    def tenant(self, tenant_id):
        return TenantFacts()


def _mailing(emails) -> dict:
    return {"event_id": uuid.uuid4(), "kind": "invitation", "tenant_id": "red", "user_id": None, "customer_id": None,
            "occurred_at": datetime.now(timezone.utc), "facts": {"emails": emails, "links": {}}}


def test_a_mailing_whose_data_cannot_be_addressed_is_skipped_and_the_next_is_queued():
    dispatcher, senders = Dispatcher(None, CONFIG, None), {"red": SENDER}
    assert dispatcher._addressed(None, FakeFacts(), senders, _mailing(12345)) == []  # not a list of addresses
    [delivery] = dispatcher._addressed(None, FakeFacts(), senders, _mailing(["ann@red.example"]))
    assert delivery.recipient == "ann@red.example"


def test_a_database_error_still_fails_the_transaction():
    with pytest.raises(psycopg.OperationalError):
        Dispatcher(None, CONFIG, None)._addressed(None, FakeFacts(psycopg.OperationalError("gone")), {"red": SENDER},
                                                  _mailing(["ann@red.example"]))
