"""The invitation's decisions: whom a batch invites at which address, which link still works, and why not."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from eventkit.envelope import StoredEvent
from invitations.domain import batch, invitation, settings
from invitations.domain.errors import (InvitationExpired, InvitationRevoked, InvitationStateConflict, InvitationUsed,
                                       LinkReplaced)
from invitations.domain.invitation import Invitation, Link, Recipient

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
CID, IID = str(uuid.uuid4()), str(uuid.uuid4())
ACME = {"customer_id": CID, "code": "ACME01", "name": "Acme", "emails": ["ap@acme.example"], "usernames": 0,
        "archived": False}
TO = Recipient(CID, "ACME01", "Acme", ["ap@acme.example"], "customer_default")
BY = {"user_id": str(uuid.uuid4()), "username": "staff-1"}


def stored(events, start=1):
    return [StoredEvent(n, f"invitation-{IID}", "invitation", n, uuid.uuid4(), e.type, 1, "demo", NOW, "staff-1",
                        uuid.uuid4(), None, None, dict(e.data)) for n, e in enumerate(events, start=start)]


def sent(token_hash="a" * 64, expires=NOW + timedelta(days=14)) -> list:
    return invitation.send(IID, str(uuid.uuid4()), TO, Link(token_hash, "v1.k.s", expires), BY, "Northwind")


def state(*more) -> Invitation:
    events = sent()
    for decide in more:
        events += decide(Invitation.from_events(stored(events)))
    return Invitation.from_events(stored(events))


@pytest.mark.parametrize("candidate, given, open_, expected", [
    (ACME, None, False, TO),
    (ACME, ["buyer@acme.example"], False, Recipient(CID, "ACME01", "Acme", ["buyer@acme.example"], "given")),
    ({**ACME, "emails": []}, None, False, "no_email_address"),
    ({**ACME, "emails": []}, ["buyer@acme.example"], False,
     Recipient(CID, "ACME01", "Acme", ["buyer@acme.example"], "given")),
    ({**ACME, "usernames": 1}, None, False, "has_username"),
    ({**ACME, "archived": True}, None, False, "archived"),
    (ACME, None, True, "invitation_open"),
    (None, None, False, "unknown_customer"),
])
def test_a_batch_invites_at_the_given_or_default_address_or_says_why_not(candidate, given, open_, expected):
    assert batch.addressee(candidate, given, open_) == expected


def test_a_live_link_is_opened_once():
    fresh = state()
    [opened] = invitation.open_link(fresh, "a" * 64, NOW)
    assert opened.type == invitation.OPENED
    assert invitation.open_link(state(lambda i: invitation.open_link(i, "a" * 64, NOW)), "a" * 64, NOW) == []


@pytest.mark.parametrize("history, link, now, error", [
    ((), "a" * 64, NOW + timedelta(days=15), InvitationExpired),
    ((lambda i: invitation.expire(i, NOW + timedelta(days=15)),), "a" * 64, NOW, InvitationExpired),
    ((lambda i: invitation.revoke(i, None),), "a" * 64, NOW, InvitationRevoked),
    ((lambda i: invitation.accept(i, str(uuid.uuid4()), "kim", []),), "a" * 64, NOW, InvitationUsed),
    ((), "b" * 64, NOW, LinkReplaced),
])
def test_a_dead_link_is_refused_with_the_reason(history, link, now, error):
    with pytest.raises(error):
        invitation.check_link(state(*history), link, now)


def test_a_resend_replaces_the_link_and_reopens_an_expired_invitation():
    expired = state(lambda i: invitation.expire(i, NOW + timedelta(days=15)))
    new = Link("c" * 64, "v1.k.t", NOW + timedelta(days=30))
    events = sent() + invitation.expire(state(), NOW + timedelta(days=15)) + invitation.resend(
        expired, TO, new, BY, "Northwind")
    again = Invitation.from_events(stored(events))
    assert (again.state, again.token_hash) == ("sent", "c" * 64)
    invitation.check_link(again, "c" * 64, NOW + timedelta(days=20))
    with pytest.raises(LinkReplaced):
        invitation.check_link(again, "a" * 64, NOW)


def test_accepted_and_revoked_invitations_are_not_resent_and_accepting_twice_decides_nothing():
    accepted = state(lambda i: invitation.accept(i, str(uuid.uuid4()), "kim", ["it@northwind.example"]))
    with pytest.raises(InvitationStateConflict):
        invitation.resend(accepted, TO, Link("c" * 64, "v1.k.t", NOW), BY, "Northwind")
    with pytest.raises(InvitationStateConflict):
        invitation.revoke(accepted, None)
    assert invitation.accept(accepted, str(uuid.uuid4()), "kim", []) == []
    revoked = state(lambda i: invitation.revoke(i, "oops"))
    assert invitation.revoke(revoked, "again") == []
    with pytest.raises(InvitationStateConflict):
        invitation.resend(revoked, TO, Link("c" * 64, "v1.k.t", NOW), BY, "Northwind")


def test_only_an_invitation_past_its_expiry_expires():
    assert invitation.expire(state(), NOW) == []
    [expired] = invitation.expire(state(), NOW + timedelta(days=14))
    assert expired.data["invitation_id"] == IID


def test_username_administrators_are_set_as_a_whole_list_once():
    empty = settings.InvitationSettings("demo")
    [event] = settings.set_username_administrators(empty, ["IT@Northwind.example", "it@northwind.example"])
    assert event.data == {"emails": ["it@northwind.example"]}
    current = settings.InvitationSettings("demo", ("it@northwind.example",))
    assert settings.set_username_administrators(current, ["it@northwind.example"]) == []
    assert empty.invitation_validity_days == 14 and empty.inviter_name == "demo"
    [changed] = settings.change(empty, {"invitation_validity_days": 14, "company_name": "Northwind"})
    assert changed.data == {"changes": {"company_name": "Northwind"}}
