"""Decisions about portal users: create (alone or as a management/staff pair), register, areas."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from eventkit.envelope import NewEvent

from . import areas as access
from .customer import Customer
from .user import CREATED, OWN_ORDERS_CHANGED, REGISTERED, ROLE_GRANTED, ROLE_REVOKED, User
from .user_errors import UserStateConflict


@dataclass(frozen=True)
class PortalUserDraft:
    """What staff or a registering person said about the new user."""

    username: str
    kind: str
    contact_id: str | None
    receivable_account: str
    emails: list[str]
    areas: frozenset[str]
    own_orders_only: bool


@dataclass(frozen=True)
class LinkSetup:
    """How the first password is set: a sealed link token, or None when staff gave an initial password."""

    sealed_token: str | None
    expires_at: datetime | None


def _portal_fields(user_id: uuid.UUID, draft: PortalUserDraft, customer: Customer) -> dict[str, Any]:
    return {"user_id": str(user_id), "username": draft.username, "kind": draft.kind,
            "customer_id": str(customer.customer_id), "customer_code": customer.code,
            "contact_id": draft.contact_id, "receivable_account": draft.receivable_account,
            "emails": list(draft.emails), "areas": access.ordered(draft.areas),
            "own_orders_only": draft.own_orders_only}


def _grants(user_id: uuid.UUID, username: str, areas) -> list[NewEvent]:
    ref = {"user_id": str(user_id), "username": username}
    return [NewEvent(ROLE_GRANTED, 1, {**ref, "area": a, "role": access.role_of(a)}) for a in access.ordered(areas)]


def create(user_id: uuid.UUID, draft: PortalUserDraft, customer: Customer, *, welcome_email: bool,
           link: LinkSetup, paired_with: uuid.UUID | None = None) -> list[NewEvent]:
    """A new portal user created by staff, then one RoleGranted per area."""
    if customer.archived:
        raise UserStateConflict(f"Customer {customer.code!r} is archived: no new portal users for it.")
    data = {**_portal_fields(user_id, draft, customer), "welcome_email_requested": welcome_email,
            "password_setup": "link" if link.sealed_token else "initial_password",
            "set_password_token": link.sealed_token,
            "set_password_expires_at": link.expires_at.isoformat() if link.expires_at else None,
            "paired_with": str(paired_with) if paired_with else None}
    return [NewEvent(CREATED, 1, data), *_grants(user_id, draft.username, draft.areas)]


def register(user_id: uuid.UUID, draft: PortalUserDraft, customer: Customer, *, first_name: str, last_name: str,
             business_name: str | None, invitation_id: str | None) -> list[NewEvent]:
    """A person registered; they wait for approval (seed 004) and get their areas then."""
    data = {**_portal_fields(user_id, draft, customer), "first_name": first_name, "last_name": last_name,
            "business_name": business_name, "source": "invitation" if invitation_id else "self",
            "invitation_id": invitation_id}
    return [NewEvent(REGISTERED, 1, data), *_grants(user_id, draft.username, draft.areas)]


def _changeable(user: User) -> None:
    if user.user_type != "portal":
        raise UserStateConflict("Areas and order visibility belong to portal users, not staff users.")
    if user.deleted:
        raise UserStateConflict(f"User {user.username!r} is deleted.")


def set_areas(user: User, wanted: frozenset[str]) -> list[NewEvent]:
    """Grant and revoke roles so that the user has exactly the wanted areas; one event per change."""
    _changeable(user)
    grant, revoke = access.role_changes(user.areas, wanted)
    return ([NewEvent(ROLE_GRANTED, 1, {**user.ref(), "area": a, "role": access.role_of(a)}) for a in grant]
            + [NewEvent(ROLE_REVOKED, 1, {**user.ref(), "area": a, "role": access.role_of(a)}) for a in revoke])


def set_own_orders_only(user: User, own_orders_only: bool) -> list[NewEvent]:
    _changeable(user)
    if user.details.get("own_orders_only") == own_orders_only:
        return []
    return [NewEvent(OWN_ORDERS_CHANGED, 1, {**user.ref(), "own_orders_only": own_orders_only})]
