"""The staff console's "what could this user see on a past day" page: the picked day and time become the
instant asked about, and the answer reads in words (no rule codes, no source notes)."""
from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from frontend import api
from frontend.app import create_app
from frontend.staff.visibility import instant

ANSWER = {"at": "2026-03-14T12:00:00+00:00", "rule": None, "explanation": None,
          "user": {"username": "acme.buyer", "status": "active", "receivable_account": "AR-1", "areas": ["invoices"],
                   "own_orders_only": True, "kind": "management", "user_type": "portal", "user_id": "u"},
          "areas": {"invoices": [{"number": "INV-1", "status": "open", "visible": True, "rule": "visible",
                                  "explanation": "Its own receivable account, an area it holds, and no rule refuses it.",
                                  "receivable_account": "AR-1", "as_of": "x", "redactions": []}],
                    "quotes": [{"number": "Q-1", "status": "draft", "visible": False, "rule": "quote.not_released",
                                "explanation": "The quote is 'draft': customers see quotes once released (seed 003).",
                                "receivable_account": "AR-1", "as_of": "x", "redactions": []}]}}


@pytest.fixture
def staff(monkeypatch):
    asked = []

    def get(service, path, **kw):
        if service != "documents":  # the page's frame asks invitations for the distributor's name
            return {}
        asked.append((service, path, kw))
        return ANSWER
    monkeypatch.setattr(api, "get", get)
    client = create_app({"SECRET_KEY": "unit-test-secret"}).test_client()
    with client.session_transaction() as s:
        s.update(user={"user_type": "staff", "username": "auditor"}, access_token="t", refresh_token=None,
                 expires_at=time.time() + 300)
    return client, asked


def test_a_picked_day_and_time_is_that_instant_in_utc_and_nonsense_is_none():
    assert instant("2026-03-14", "12:00") == datetime(2026, 3, 14, 12, 0, tzinfo=timezone.utc)
    assert instant("2026-03-14", "") == datetime(2026, 3, 14, 23, 59, tzinfo=timezone.utc)
    assert instant("14 March", "12:00") is None and instant("2026-02-30", "12:00") is None


def test_the_page_asks_the_documents_service_for_that_instant_and_shows_the_answer_in_words(staff):
    client, asked = staff
    page = client.get("/staff/customers/ACME/portal-users/u/visibility?day=2026-03-14&time=12:00")
    assert page.status_code == 200
    assert asked == [("documents", "/users/u/visibility", {"params": {"at": "2026-03-14T12:00:00+00:00"}})]
    text = page.get_data(as_text=True)
    assert "INV-1" in text and "Q-1" in text and "customers see quotes once released." in text
    assert "seed 003" not in text and "quote.not_released" not in text


def test_a_day_that_is_no_date_asks_again_without_calling_any_service(staff):
    client, asked = staff
    page = client.get("/staff/customers/ACME/portal-users/u/visibility?day=someday&time=12:00")
    assert page.status_code == 200 and "Please give a date" in page.get_data(as_text=True) and asked == []
