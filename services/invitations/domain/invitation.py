"""The invitation aggregate: one customer invited to become a portal user, through one link at a time.

Its stream is `invitation-<invitation_id>`. A resend keeps the invitation and replaces its link; the
old link is dead from then on. Revoked, expired and accepted invitations stay so: a customer is
invited again with a new invitation.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Iterable

from eventkit.envelope import NewEvent, StoredEvent

from .errors import InvitationExpired, InvitationRevoked, InvitationStateConflict, InvitationUsed, LinkReplaced

P = "portico.invitations.invitation."
SENT, OPENED, RESENT, REVOKED, EXPIRED, ACCEPTED = (P + v for v in (
    "sent", "opened", "resent", "revoked", "expired", "accepted"))


def stream_id(invitation_id) -> str:
    return f"invitation-{invitation_id}"


@dataclass(frozen=True)
class Link:
    """A new link: the token's hash (for checking), the token sealed for notifications, its expiry."""

    token_hash: str
    sealed_token: str
    expires_at: datetime


@dataclass(frozen=True)
class Recipient:
    """The customer invited and the addresses the invitation goes to."""

    customer_id: str
    code: str
    name: str
    emails: list[str]
    address_source: str  # customer_default | given


@dataclass
class Invitation:
    invitation_id: str
    customer_id: str
    details: dict[str, Any]  # the customer, addresses and inviter of the latest sent/resent event
    token_hash: str
    expires_at: datetime
    state: str = "sent"  # sent | accepted | revoked | expired
    opened: bool = False  # the current link was opened
    user: dict[str, Any] | None = None  # who registered from it
    version: int = 0
    history: list[tuple[str, datetime]] = field(default_factory=list)

    @classmethod
    def from_events(cls, events: Iterable[StoredEvent]) -> "Invitation | None":
        invitation = None
        for event in events:
            invitation = _apply(invitation, event)
            invitation.version = event.stream_version
            invitation.history.append((event.type.rsplit(".", 1)[-1], event.occurred_at))
        return invitation

    def expired_by(self, now: datetime) -> bool:
        return self.state == "expired" or (self.state == "sent" and self.expires_at <= now)

    def ref(self) -> dict[str, str]:
        return {"invitation_id": self.invitation_id, "customer_id": self.customer_id}

    def as_dict(self, now: datetime) -> dict[str, Any]:
        state = "expired" if self.expired_by(now) else self.state
        return {**self.ref(), **self.details, "state": state, "opened": self.opened,
                "expires_at": self.expires_at.isoformat(), "user": self.user, "version": self.version,
                "history": [{"what": what, "at": at.isoformat()} for what, at in self.history]}


def _apply(invitation: Invitation | None, event: StoredEvent) -> Invitation:
    d = event.data
    if event.type in (SENT, RESENT):
        details = {k: d[k] for k in ("customer_code", "customer_name", "emails", "address_source", "company_name",
                                     "invited_by")}
        if invitation is None:
            return Invitation(str(d["invitation_id"]), str(d["customer_id"]), {**details, "batch_id": d["batch_id"]},
                              d["token_hash"], datetime.fromisoformat(d["expires_at"]))
        invitation.details.update(details)
        invitation.token_hash, invitation.expires_at = d["token_hash"], datetime.fromisoformat(d["expires_at"])
        invitation.state, invitation.opened = "sent", False
    elif event.type == OPENED:
        invitation.opened = True
    elif event.type in (REVOKED, EXPIRED, ACCEPTED):
        invitation.state = event.type.rsplit(".", 1)[-1]
        if event.type == ACCEPTED:
            invitation.user = {"user_id": d["user_id"], "username": d["username"]}
    return invitation


def _email(invitation_id: str, to: Recipient, link: Link, invited_by: dict, company_name: str) -> dict[str, Any]:
    return {"invitation_id": invitation_id, "customer_id": to.customer_id, "customer_code": to.code,
            "customer_name": to.name, "emails": list(to.emails), "address_source": to.address_source,
            "company_name": company_name, "invited_by": invited_by, "token_hash": link.token_hash,
            "invitation_token": link.sealed_token, "expires_at": link.expires_at.isoformat()}


def _customer(to: Recipient) -> str:
    """Whose name and addresses the invitation carries: the customer's, personal if it is an individual
    (identity knows which; the store seals them then, issue 17)."""
    return f"customer-{to.customer_id}"


def send(invitation_id: str, batch_id: str, to: Recipient, link: Link, invited_by: dict,
         company_name: str) -> list[NewEvent]:
    """A new invitation for a customer with at least one address (callers skip the others)."""
    return [NewEvent(SENT, 1, {**_email(invitation_id, to, link, invited_by, company_name), "batch_id": batch_id},
                     subject=_customer(to))]


def check_link(invitation: Invitation, token_hash: str, now: datetime) -> None:
    """Refuse a link that can no longer register a username, saying why."""
    if invitation.state == "accepted":
        raise InvitationUsed()
    if invitation.state == "revoked":
        raise InvitationRevoked()
    if token_hash != invitation.token_hash:
        raise LinkReplaced()
    if invitation.expired_by(now):
        raise InvitationExpired()


def open_link(invitation: Invitation, token_hash: str, now: datetime) -> list[NewEvent]:
    """The customer looked at the invitation; recorded once per link."""
    check_link(invitation, token_hash, now)
    return [] if invitation.opened else [NewEvent(OPENED, 1, invitation.ref())]


def resend(invitation: Invitation, to: Recipient, link: Link, invited_by: dict, company_name: str) -> list[NewEvent]:
    """A new link (the old one dies) and a new expiry; an expired invitation is open again."""
    if invitation.state in ("accepted", "revoked"):
        raise InvitationStateConflict(f"The invitation is {invitation.state}: send a new invitation instead.")
    return [NewEvent(RESENT, 1, _email(invitation.invitation_id, to, link, invited_by, company_name),
                     subject=_customer(to))]


def revoke(invitation: Invitation, reason: str | None) -> list[NewEvent]:
    """Its link stops working; revoking twice changes nothing."""
    if invitation.state == "accepted":
        raise InvitationStateConflict("The invitation was accepted; delete or approve the username instead.")
    if invitation.state == "revoked":
        return []
    return [NewEvent(REVOKED, 1, {**invitation.ref(), "reason": reason})]


def expire(invitation: Invitation, now: datetime) -> list[NewEvent]:
    if invitation.state != "sent" or invitation.expires_at > now:
        return []
    return [NewEvent(EXPIRED, 1, {**invitation.ref(), "expired_at": invitation.expires_at.isoformat()})]


def accept(invitation: Invitation, user_id: str, username: str, administrators: list[str]) -> list[NewEvent]:
    """Identity registered a username from the link: the invitation is used, whatever happened since."""
    if invitation.state == "accepted":
        return []
    return [NewEvent(ACCEPTED, 1, {**invitation.ref(), "user_id": user_id, "username": username,
                                   "username_administrators": list(administrators)})]
