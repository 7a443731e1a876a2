"""Which e-mails each event calls for: an event in, the mailings (one per kind) out.

A mailing keeps only what the e-mail needs from its event; link tokens stay sealed. Recipients that
the event does not name (a user's addresses, the username administrators) are looked up when the
mailing is dispatched, from the projections.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from contracts.identity_users import PASSWORD_RESET_CONTEXT, SET_PASSWORD_CONTEXT
from contracts.invitations import INVITATION_CONTEXT
from eventkit.envelope import StoredEvent

USER_CREATED = "portico.identity.user.created"
STAFF_USER_CREATED = "portico.identity.staff_user.created"
RESET_REQUESTED = "portico.identity.user.password_reset_requested"
REGISTERED = "portico.identity.user.registered"
APPROVED = "portico.identity.user.approved"
DISABLED = "portico.identity.user.disabled"
PASSWORD_CHANGED = "portico.identity.user.password_changed"
PASSWORD_SET = "portico.identity.user.password_set"
SECOND_FACTOR_ENROLLED = "portico.identity.user.second_factor_enrolled"
SECOND_FACTOR_REMOVED = "portico.identity.user.second_factor_removed"
RECOVERY_CODE_USED = "portico.identity.user.recovery_code_used"
INVITATION_SENT = "portico.invitations.invitation.sent"
INVITATION_RESENT = "portico.invitations.invitation.resent"


@dataclass(frozen=True)
class Mailing:
    kind: str
    user_id: str | None
    customer_id: str | None
    facts: dict[str, Any]


def _link(name: str, sealed: str | None, context: str, path: str) -> dict:
    return {name: {"sealed": sealed, "context": context, "path": path}} if sealed else {}


def _welcome(event: StoredEvent) -> list[Mailing]:
    d, portal = event.data, event.type == USER_CREATED
    # Staff users have no welcome option: they get the e-mail when they need its link to set a password.
    if not (d["welcome_email_requested"] if portal else d["password_setup"] == "link"):
        return []
    facts = {"emails": d["emails"], "username": d["username"], "user_type": "portal" if portal else "staff",
             "link_expires_at": d["set_password_expires_at"],
             "links": _link("set_password_url", d["set_password_token"], SET_PASSWORD_CONTEXT, "/set-password")}
    return [Mailing("welcome", d["user_id"], d.get("customer_id"), facts)]


def _reset(event: StoredEvent) -> list[Mailing]:
    d = event.data
    facts = {"emails": d["emails"], "username": d["username"], "link_expires_at": d["expires_at"],
             "links": _link("reset_url", d["reset_token"], PASSWORD_RESET_CONTEXT, "/reset-password")}
    return [Mailing("password_reset", d["user_id"], None, facts)]


def _invitation(event: StoredEvent) -> list[Mailing]:
    d = event.data
    facts = {"emails": d["emails"], "customer_name": d["customer_name"], "customer_code": d["customer_code"],
             "company_name": d["company_name"], "invited_by": d["invited_by"]["username"],
             "link_expires_at": d["expires_at"],
             "links": _link("invitation_url", d["invitation_token"], INVITATION_CONTEXT, "/invitations/accept")}
    return [Mailing("invitation", None, d["customer_id"], facts)]


def _registered(event: StoredEvent) -> list[Mailing]:
    d = event.data
    person = {"username": d["username"], "first_name": d["first_name"], "last_name": d["last_name"],
              "business_name": d["business_name"], "customer_code": d["customer_code"]}
    return [Mailing("registration_received", d["user_id"], d["customer_id"], {**person, "emails": d["emails"]}),
            Mailing("username_review", d["user_id"], d["customer_id"],
                    {**person, "user_emails": d["emails"], "source": d["source"]})]


def _about_user(kind: str, **facts: Callable[[StoredEvent], Any]):
    def mailings(event: StoredEvent) -> list[Mailing]:
        found = {"username": event.data["username"], **{name: get(event) for name, get in facts.items()}}
        return [Mailing(kind, event.data["user_id"], event.data.get("customer_id"), found)]
    return mailings


def _password_set(event: StoredEvent) -> list[Mailing]:
    # Setting the first password through the welcome link is not a change worth a notice; a reset is.
    if event.data["via"] != "reset_link":
        return []
    return _about_user("password_changed", changed_at=lambda e: e.occurred_at.isoformat())(event)


_FACTOR = {"totp": "An authenticator app", "passkey": "A passkey"}
_REMOVED_BY = {"user": "", "staff": " by our staff"}


def _second_factor_change(event: StoredEvent) -> str:
    """What changed, in a sentence the e-mail tells the user."""
    d = event.data
    if event.type == SECOND_FACTOR_ENROLLED:
        return f"{_FACTOR[d['method']]} was set up for logging in to your account."
    if event.type == SECOND_FACTOR_REMOVED:
        return f"{_FACTOR[d['method']]} was removed from your account{_REMOVED_BY[d['removed_by']]}."
    return f"One of your recovery codes was used to log in to your account; {d['remaining']} are left."


_second_factor = _about_user("second_factor_changed", change=_second_factor_change,
                             changed_at=lambda e: e.occurred_at.isoformat())

TRIGGERS: dict[str, Callable[[StoredEvent], list[Mailing]]] = {
    USER_CREATED: _welcome,
    STAFF_USER_CREATED: _welcome,
    RESET_REQUESTED: _reset,
    INVITATION_SENT: _invitation,
    INVITATION_RESENT: _invitation,
    REGISTERED: _registered,
    APPROVED: _about_user("approved"),
    DISABLED: _about_user("disabled", reason=lambda e: e.data["reason"]),
    PASSWORD_CHANGED: _about_user("password_changed", changed_at=lambda e: e.occurred_at.isoformat()),
    PASSWORD_SET: _password_set,
    SECOND_FACTOR_ENROLLED: _second_factor,
    SECOND_FACTOR_REMOVED: _second_factor,
    RECOVERY_CODE_USED: _second_factor,
}


def mailings_for(event: StoredEvent) -> list[Mailing]:
    """The e-mails an event calls for; none for events that call for none."""
    trigger = TRIGGERS.get(event.type)
    return trigger(event) if trigger else []
