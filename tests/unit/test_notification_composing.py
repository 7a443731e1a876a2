"""Addressing a mailing: recipients, sender, Reply-To fallback (seed 002), variables, stable ids."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from contracts.notifications import KINDS as PUBLISHED_KINDS
from notifications.domain.composing import deliveries_for, delivery_id, is_stale
from notifications.domain.facts import CustomerFacts, Facts, SenderSettings, TenantFacts, UserFacts
from notifications.domain.kinds import KINDS

EVENT = uuid.uuid4()
SENDER = SenderSettings("portal@acme.example", "Acme Distribution", "help@acme.example", "https://portal.test/acme")
USER = UserFacts("ada", "portal", "c-1", ("ada@lovelace.example",))
CUSTOMER = CustomerFacts("LOVE01", "Lovelace Engines", ("ap@lovelace.example", "boss@lovelace.example"))
ADMINS = TenantFacts(("boss@acme.example", "it@acme.example"), "Acme Distribution")
REVIEW = {"username": "ada", "first_name": "Ada", "last_name": "L", "business_name": None, "customer_code": "LOVE01",
          "user_emails": ["ada@lovelace.example"], "source": "invitation"}


def test_every_address_of_an_account_gets_its_own_delivery_once():
    mailing = {"emails": ["A@x.example", "b@x.example", "a@x.example"], "username": "ada", "links": {}}
    deliveries = deliveries_for(EVENT, "welcome", mailing, Facts(SENDER))
    assert [d.recipient for d in deliveries] == ["a@x.example", "b@x.example"]
    assert deliveries[0].delivery_id == delivery_id(EVENT, "welcome", "a@x.example") != deliveries[1].delivery_id
    assert deliveries[0].sender == "Acme Distribution <portal@acme.example>"
    assert deliveries[0].reply_to == "help@acme.example"


def test_without_a_from_name_the_e_mail_comes_from_the_distributors_company_name():
    unnamed = SenderSettings("portal@acme.example", None, None, "https://portal.test/acme")
    mailing = {"emails": ["a@x.example"], "username": "ada", "links": {}}
    [named] = deliveries_for(EVENT, "welcome", mailing, Facts(unnamed, TenantFacts((), "Northwind Supply")))
    [bare] = deliveries_for(EVENT, "welcome", mailing, Facts(unnamed))
    assert (named.sender, bare.sender) == ("Northwind Supply <portal@acme.example>", "portal@acme.example")


def test_the_users_and_administrators_kinds_take_their_recipients_from_the_facts():
    assert [d.recipient for d in deliveries_for(EVENT, "approved", {"username": "ada"}, Facts(SENDER, user=USER))] \
        == ["ada@lovelace.example"]
    assert deliveries_for(EVENT, "approved", {"username": "ada"}, Facts(SENDER)) == []
    review = deliveries_for(EVENT, "username_review", REVIEW, Facts(SENDER, ADMINS, USER, CUSTOMER))
    assert [d.recipient for d in review] == ["boss@acme.example", "it@acme.example"]


@pytest.mark.parametrize("user_emails, customer, reply_to", [
    (["ada@lovelace.example"], CUSTOMER, "ada@lovelace.example"),
    ([], CUSTOMER, "ap@lovelace.example"),
    ([], CustomerFacts("LOVE01", "Lovelace", ()), "help@acme.example"),
    ([], None, "help@acme.example"),
])
def test_reply_to_falls_back_from_the_user_to_the_customer_to_the_tenant(user_emails, customer, reply_to):
    [first, _] = deliveries_for(EVENT, "username_review", {**REVIEW, "user_emails": user_emails},
                                Facts(SENDER, ADMINS, USER, customer))
    assert first.reply_to == reply_to


def test_the_stored_context_has_the_kinds_variables_but_links_only_sealed():
    mailing = {"emails": ["a@x.example"], "username": "ada", "user_type": "portal",
               "link_expires_at": "2026-01-16T09:30:00+00:00",
               "links": {"set_password_url": {"sealed": "v1.k.s", "context": "c", "path": "/set-password"}}}
    [delivery] = deliveries_for(EVENT, "welcome", mailing, Facts(SENDER, customer=CUSTOMER))
    context = delivery.context
    assert context["links"] == {"set_password_url": {"sealed": "v1.k.s", "context": "c", "path": "/set-password",
                                                     "url": "https://portal.test/acme/set-password"}}
    assert set(context) - {"links"} == set(KINDS["welcome"].names()) - {"set_password_url"}
    assert (context["customer_name"], context["link_expires_at"], context["login_url"]) == \
        ("Lovelace Engines", "2026-01-16 09:30 UTC", "https://portal.test/acme/login")


def test_the_kinds_are_the_ones_the_contract_publishes():
    assert set(KINDS) == set(PUBLISHED_KINDS)


def test_an_expired_link_or_an_old_event_is_too_late_to_send():
    now = datetime(2026, 1, 20, tzinfo=timezone.utc)
    week = timedelta(days=7)
    assert is_stale({"link_expires_at": "2026-01-16T09:30:00+00:00"}, now, now, week)
    assert not is_stale({"link_expires_at": "2026-01-21T09:30:00Z"}, now - timedelta(days=30), now, week)
    assert is_stale({}, now - timedelta(days=8), now, week)
    assert not is_stale({}, now - timedelta(days=1), now, week)
