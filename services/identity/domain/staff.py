"""Staff users: the distributor's own people, with staff roles (seeds 000, 004)."""
from __future__ import annotations

import uuid
from datetime import datetime

from contracts.identity_users import STAFF_ROLES
from eventkit.envelope import NewEvent

from .user import STAFF_CREATED, STAFF_ROLES_CHANGED, User
from .user_errors import UserStateConflict

SYSTEM_ADMINISTRATOR, IN_HOUSE, SALES_REP = STAFF_ROLES


def _check_roles(roles: list[str], sales_rep: str | None) -> list[str]:
    roles = [r for r in STAFF_ROLES if r in set(roles)]
    if not roles:
        raise UserStateConflict("A staff user needs at least one role: " + ", ".join(STAFF_ROLES) + ".")
    if (SALES_REP in roles) != bool(sales_rep):
        raise UserStateConflict("A sales rep needs its sales_rep code (the one customers carry), "
                                "and only a sales rep has one.")
    return roles


def create(user_id: uuid.UUID, username: str, name: str, emails: list[str], roles: list[str],
           sales_rep: str | None, sealed_token: str | None, expires_at: datetime | None) -> list[NewEvent]:
    roles = _check_roles(roles, sales_rep)
    return [NewEvent(STAFF_CREATED, 1, {
        "user_id": str(user_id), "username": username, "name": name, "emails": list(emails), "roles": roles,
        "sales_rep": sales_rep, "password_setup": "link" if sealed_token else "initial_password",
        "set_password_token": sealed_token, "set_password_expires_at": expires_at.isoformat() if expires_at else None,
    })]


def change_roles(user: User, roles: list[str], sales_rep: str | None) -> list[NewEvent]:
    if user.user_type != "staff" or user.deleted:
        raise UserStateConflict(f"{user.username!r} is not a current staff user.")
    roles = _check_roles(roles, sales_rep)
    if roles == user.staff_roles and sales_rep == user.sales_rep:
        return []
    return [NewEvent(STAFF_ROLES_CHANGED, 1, {**user.ref(), "roles": roles, "sales_rep": sales_rep})]
