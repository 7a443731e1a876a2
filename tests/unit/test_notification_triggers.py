"""Which e-mails each event calls for: an event in, the mailings out (table-driven)."""
import uuid
from datetime import datetime, timezone

import pytest

from contracts.identity_users import PASSWORD_RESET_CONTEXT, SET_PASSWORD_CONTEXT
from contracts.invitations import INVITATION_CONTEXT
from eventkit.envelope import StoredEvent
from notifications.domain.triggers import mailings_for

UID, CID = "7d0c2b6e-0000-4000-8000-000000000001", "2f1c8f4e-0000-4000-8000-000000000001"
SEALED = "v1.a2lk.c2VhbGVk"
WHEN = datetime(2026, 1, 15, 9, 30, tzinfo=timezone.utc)


def event(type_, data):
    return StoredEvent(1, f"user-{UID}", "user", 1, uuid.uuid4(), f"portico.{type_}", 1, "demo", WHEN, "staff",
                       uuid.uuid4(), None, None, data)


CREATED = {"user_id": UID, "username": "ada", "kind": "management", "customer_id": CID, "customer_code": "C1",
           "contact_id": None, "receivable_account": "1200", "emails": ["a@x.example", "b@x.example"],
           "areas": ["orders"], "own_orders_only": False, "welcome_email_requested": True, "password_setup": "link",
           "set_password_token": SEALED, "set_password_expires_at": "2026-01-16T09:30:00+00:00", "paired_with": None}
REGISTERED = {**{k: CREATED[k] for k in ("user_id", "username", "kind", "customer_id", "customer_code", "contact_id",
                                          "receivable_account", "emails", "areas", "own_orders_only")},
              "first_name": "Ada", "last_name": "L", "business_name": "Lovelace Ltd", "source": "invitation",
              "invitation_id": str(uuid.uuid4())}
INVITED = {"invitation_id": str(uuid.uuid4()), "customer_id": CID, "customer_code": "C1", "customer_name": "Lovelace",
           "emails": ["buyer@x.example"], "address_source": "given", "company_name": "Acme",
           "invited_by": {"user_id": UID, "username": "sam"}, "token_hash": "0" * 64, "invitation_token": SEALED,
           "expires_at": "2026-01-29T09:30:00+00:00", "batch_id": str(uuid.uuid4())}


def test_a_user_created_with_the_welcome_flag_gets_the_welcome_email_with_its_sealed_link():
    [mailing] = mailings_for(event("identity.user.created", CREATED))
    assert (mailing.kind, mailing.user_id, mailing.customer_id) == ("welcome", UID, CID)
    assert mailing.facts["emails"] == ["a@x.example", "b@x.example"]
    assert mailing.facts["links"] == {"set_password_url": {"sealed": SEALED, "context": SET_PASSWORD_CONTEXT,
                                                           "path": "/set-password"}}


def test_without_the_flag_there_is_no_welcome_and_an_initial_password_gives_no_link():
    assert mailings_for(event("identity.user.created", {**CREATED, "welcome_email_requested": False})) == []
    [mailing] = mailings_for(event("identity.user.created", {**CREATED, "password_setup": "initial_password",
                                                             "set_password_token": None}))
    assert mailing.facts["links"] == {}


def test_a_staff_user_gets_a_welcome_only_when_it_needs_the_link():
    staff = {"user_id": UID, "username": "sam", "name": "Sam", "emails": ["sam@acme.example"], "roles": ["in-house"],
             "sales_rep": None, "password_setup": "link", "set_password_token": SEALED,
             "set_password_expires_at": "2026-01-16T09:30:00+00:00"}
    [mailing] = mailings_for(event("identity.staff_user.created", staff))
    assert mailing.facts["user_type"] == "staff"
    assert mailings_for(event("identity.staff_user.created", {**staff, "password_setup": "initial_password",
                                                              "set_password_token": None})) == []


def test_a_registration_mails_the_person_and_the_username_administrators():
    received, review = mailings_for(event("identity.user.registered", REGISTERED))
    assert (received.kind, received.facts["emails"]) == ("registration_received", ["a@x.example", "b@x.example"])
    assert (review.kind, review.facts["user_emails"], review.facts["source"]) == \
        ("username_review", ["a@x.example", "b@x.example"], "invitation")
    assert "emails" not in review.facts  # its recipients are the administrators, looked up when dispatched


@pytest.mark.parametrize("type_, data, kind, facts", [
    ("identity.user.password_reset_requested",
     {"user_id": UID, "username": "ada", "user_type": "portal", "emails": ["a@x.example"], "reset_token": SEALED,
      "expires_at": "2026-01-16T09:30:00+00:00"}, "password_reset",
     {"links": {"reset_url": {"sealed": SEALED, "context": PASSWORD_RESET_CONTEXT, "path": "/reset-password"}}}),
    ("invitations.invitation.sent", INVITED, "invitation",
     {"invited_by": "sam", "company_name": "Acme", "emails": ["buyer@x.example"],
      "links": {"invitation_url": {"sealed": SEALED, "context": INVITATION_CONTEXT, "path": "/invitations/accept"}}}),
    ("identity.user.approved", {"user_id": UID, "username": "ada", "customer_id": CID}, "approved", {"username": "ada"}),
    ("identity.user.disabled", {"user_id": UID, "username": "ada", "user_type": "portal", "reason": "left"},
     "disabled", {"reason": "left"}),
    ("identity.user.password_changed", {"user_id": UID, "username": "ada", "user_type": "portal", "forced": False},
     "password_changed", {"changed_at": WHEN.isoformat()}),
    ("identity.user.password_set", {"user_id": UID, "username": "ada", "user_type": "portal", "via": "reset_link"},
     "password_changed", {"changed_at": WHEN.isoformat()}),
    ("identity.user.second_factor_enrolled", {"user_id": UID, "username": "ada", "user_type": "portal",
                                              "method": "totp"},
     "second_factor_changed", {"change": "An authenticator app was set up for logging in to your account."}),
    ("identity.user.second_factor_removed", {"user_id": UID, "username": "ada", "user_type": "staff",
                                             "method": "passkey", "removed_by": "staff"},
     "second_factor_changed", {"change": "A passkey was removed from your account by our staff."}),
    ("identity.user.recovery_code_used", {"user_id": UID, "username": "ada", "user_type": "portal", "remaining": 9},
     "second_factor_changed", {"change": "One of your recovery codes was used to log in to your account; 9 are left.",
                               "changed_at": WHEN.isoformat()}),
])
def test_each_triggering_event_calls_for_one_mailing(type_, data, kind, facts):
    [mailing] = mailings_for(event(type_, data))
    assert mailing.kind == kind
    assert {k: mailing.facts[k] for k in facts} == facts


def test_setting_the_first_password_and_other_events_call_for_nothing():
    first = {"user_id": UID, "username": "ada", "user_type": "portal", "via": "set_password_link"}
    assert mailings_for(event("identity.user.password_set", first)) == []
    assert mailings_for(event("identity.user.enabled", {"user_id": UID, "username": "ada", "user_type": "portal"})) == []
