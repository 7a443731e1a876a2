"""The user aggregate: a portal user of a customer, or a staff user of the distributor.

Its state is its stream (`user-<user_id>`). The password hash is not in it: it lives in the
credentials table, written in the same transaction, so no event ever carries it.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable

from eventkit.envelope import StoredEvent

P = "portico.identity.user."
CREATED, REGISTERED, APPROVED, DELETED = P + "created", P + "registered", P + "approved", P + "deleted"
DISABLED, ENABLED = P + "disabled", P + "enabled"
PASSWORD_SET, PASSWORD_CHANGED, RESET_REQUESTED = P + "password_set", P + "password_changed", \
    P + "password_reset_requested"
ROLE_GRANTED, ROLE_REVOKED, OWN_ORDERS_CHANGED, LOCKED = P + "role_granted", P + "role_revoked", \
    P + "own_orders_only_changed", P + "locked"
SECOND_FACTOR_ENROLLED, SECOND_FACTOR_REMOVED, RECOVERY_CODE_USED = P + "second_factor_enrolled", \
    P + "second_factor_removed", P + "recovery_code_used"
STAFF_CREATED, STAFF_ROLES_CHANGED = "portico.identity.staff_user.created", "portico.identity.staff_user.roles_changed"

_PORTAL_FIELDS = ("kind", "customer_id", "customer_code", "contact_id", "receivable_account", "emails",
                  "own_orders_only")


def stream_id(user_id: uuid.UUID | str) -> str:
    return f"user-{user_id}"


@dataclass
class User:
    user_id: uuid.UUID
    username: str
    user_type: str  # "portal" or "staff"
    approved: bool = True
    disabled: bool = False
    deleted: bool = False
    has_password: bool = False
    areas: set[str] = field(default_factory=set)
    details: dict[str, Any] = field(default_factory=dict)  # the portal or staff fields of its first event
    staff_roles: list[str] = field(default_factory=list)
    sales_rep: str | None = None
    second_factors: set[str] = field(default_factory=set)  # "totp", "passkey": what it may log in with
    version: int = 0

    @property
    def status(self) -> str:
        if self.deleted:
            return "deleted"
        if not self.approved:
            return "pending"
        return "disabled" if self.disabled else "active"

    @property
    def customer_id(self) -> str | None:
        return self.details.get("customer_id")

    def can_log_in(self) -> bool:
        return self.status == "active" and self.has_password

    def ref(self) -> dict[str, Any]:
        return {"user_id": str(self.user_id), "username": self.username}

    def lifecycle_ref(self) -> dict[str, Any]:
        return {**self.ref(), "user_type": self.user_type}

    @classmethod
    def from_events(cls, events: Iterable[StoredEvent]) -> "User | None":
        user = None
        for event in events:
            user = _apply(user, event.type, event.data)
            user.version = event.stream_version
        return user

    def as_dict(self) -> dict[str, Any]:
        body = {"user_id": str(self.user_id), "username": self.username, "user_type": self.user_type,
                "status": self.status, "password_set": self.has_password,
                "second_factors": sorted(self.second_factors), "version": self.version}
        if self.user_type == "portal":
            body.update({k: self.details.get(k) for k in _PORTAL_FIELDS})
            body["areas"] = sorted(self.areas)
        else:
            body.update(name=self.details.get("name"), emails=self.details.get("emails"),
                        roles=self.staff_roles, sales_rep=self.sales_rep)
        return body


def _apply(user: User | None, type_: str, data: dict) -> User:
    if type_ in (CREATED, REGISTERED):
        return User(uuid.UUID(str(data["user_id"])), data["username"], "portal", approved=type_ == CREATED,
                    has_password=type_ == REGISTERED or data.get("password_setup") == "initial_password",
                    areas=set(data["areas"]), details={k: data.get(k) for k in _PORTAL_FIELDS})
    if type_ == STAFF_CREATED:
        return User(uuid.UUID(str(data["user_id"])), data["username"], "staff",
                    has_password=data["password_setup"] == "initial_password",
                    details={"name": data["name"], "emails": data["emails"]},
                    staff_roles=list(data["roles"]), sales_rep=data["sales_rep"])
    if type_ == APPROVED:
        user.approved = True
    elif type_ == DELETED:
        user.deleted = True
    elif type_ in (DISABLED, ENABLED):
        user.disabled = type_ == DISABLED
    elif type_ in (PASSWORD_SET, PASSWORD_CHANGED):
        user.has_password = True
    elif type_ == ROLE_GRANTED:
        user.areas.add(data["area"])
    elif type_ == ROLE_REVOKED:
        user.areas.discard(data["area"])
    elif type_ == OWN_ORDERS_CHANGED:
        user.details["own_orders_only"] = data["own_orders_only"]
    elif type_ == SECOND_FACTOR_ENROLLED:
        user.second_factors.add(data["method"])
    elif type_ == SECOND_FACTOR_REMOVED:
        user.second_factors.discard(data["method"])
    elif type_ == STAFF_ROLES_CHANGED:
        user.staff_roles, user.sales_rep = list(data["roles"]), data["sales_rep"]
    return user
