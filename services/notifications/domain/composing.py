"""Address a mailing: one delivery per recipient, with its sender, Reply-To and template variables.

A delivery's id is derived from (event, kind, recipient), the same triple the queue keeps unique, so
whoever composes the same mailing again gets the same ids, and the e-mail the same Message-ID.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Any

from .facts import Facts, reply_to_on_behalf_of
from .kinds import ADMINISTRATORS, EVENT, KINDS, USER

_NAMESPACE = uuid.UUID("6f1d3c52-4a8e-5b7a-9c61-2d0e8f4b7a10")


@dataclass(frozen=True)
class Delivery:
    delivery_id: uuid.UUID
    recipient: str
    sender: str
    reply_to: str | None
    context: dict[str, Any]  # the template's variables; link tokens only sealed, under "links"


def delivery_id(event_id, kind: str, recipient: str) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"{event_id}/{kind}/{recipient}")


def recipients(kind: str, mailing: dict, facts: Facts) -> list[str]:
    """Each address once, lower-cased: an account may have several (seed 000)."""
    audience = KINDS[kind].audience
    if audience == EVENT:
        found = mailing.get("emails") or ()
    elif audience == USER:
        found = facts.user.emails if facts.user else ()
    else:
        assert audience == ADMINISTRATORS
        found = facts.tenant.username_administrators
    return list(dict.fromkeys(a.strip().lower() for a in found if a and a.strip()))


def person_addressed(mailing: dict) -> str | None:
    """Whose address the e-mail goes to (issue 17): the user's, else the customer's (a person if it is an
    individual; identity knows which); nobody's for the username administrators."""
    if KINDS[mailing["kind"]].audience == ADMINISTRATORS:
        return None
    if mailing.get("user_id"):
        return f"user-{mailing['user_id']}"
    return f"customer-{mailing['customer_id']}" if mailing.get("customer_id") else None


def deliveries_for(event_id, kind: str, mailing: dict, facts: Facts) -> list[Delivery]:
    """The deliveries a mailing becomes; none when nobody can receive it."""
    reply_to = facts.sender.reply_to
    if kind == "username_review":  # it goes out on the registering user's behalf
        reply_to = reply_to_on_behalf_of(mailing.get("user_emails"), facts.customer, reply_to)
    links = {name: {**spec, "url": facts.sender.portal_url + spec["path"]}
             for name, spec in (mailing.get("links") or {}).items()}
    sender = facts.sender.from_header(mailing.get("company_name") or facts.tenant.company_name)
    return [Delivery(delivery_id(event_id, kind, recipient), recipient, sender, reply_to,
                     {**_variables(kind, mailing, facts, recipient), "links": links})
            for recipient in recipients(kind, mailing, facts)]


def _variables(kind: str, mailing: dict, facts: Facts, recipient: str) -> dict[str, Any]:
    user, customer, portal = facts.user, facts.customer, facts.sender.portal_url
    known = {
        **mailing,
        "company_name": mailing.get("company_name") or facts.tenant.company_name or facts.sender.from_name,
        "portal_url": portal, "login_url": f"{portal}/login", "recipient": recipient,
        "username": mailing.get("username") or (user.username if user else None),
        "user_type": mailing.get("user_type") or (user.user_type if user else None),
        "customer_name": mailing.get("customer_name") or (customer.name if customer else None),
        "customer_code": mailing.get("customer_code") or (customer.code if customer else None),
        "link_expires_at": readable_time(mailing.get("link_expires_at")),
        "changed_at": readable_time(mailing.get("changed_at")),
    }
    return {name: known.get(name) for name in KINDS[kind].names() if name not in KINDS[kind].links}


def readable_time(value: str | None) -> str | None:
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def is_stale(mailing: dict, occurred_at: datetime, now: datetime, max_age: timedelta) -> bool:
    """Too late to be worth sending: its link has expired, or the event is old (a replay of history
    after the service was first deployed must not mail every customer about last year)."""
    expires = mailing.get("link_expires_at")
    if expires:
        return datetime.fromisoformat(expires.replace("Z", "+00:00")) <= now
    return now - occurred_at > max_age
