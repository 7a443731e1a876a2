"""What each staff role sees in the console (seeds 000, 004), in one place: the views refuse and the pages
hide what the services would refuse anyway, so nobody meets a button they may not use."""
from __future__ import annotations

import functools
from dataclasses import dataclass

from flask import abort

from .. import sessions

SYSTEM_ADMINISTRATOR, IN_HOUSE, SALES_REP = "system-administrator", "in-house", "sales-rep"
NAMES = {SYSTEM_ADMINISTRATOR: "system administrator", IN_HOUSE: "in-house user", SALES_REP: "sales rep"}


@dataclass(frozen=True)
class StaffRole:
    roles: frozenset[str]
    sales_rep_code: str | None

    @property
    def system_administrator(self) -> bool:
        return SYSTEM_ADMINISTRATOR in self.roles

    @property
    def in_house(self) -> bool:
        """In-house users and system administrators act for every customer."""
        return bool({IN_HOUSE, SYSTEM_ADMINISTRATOR} & self.roles)

    @property
    def sales_rep(self) -> str | None:
        """The code of a sales rep's own customers; None for in-house staff, who see every customer."""
        return self.sales_rep_code if SALES_REP in self.roles and not self.in_house else None

    def may_create_users(self, tenant_settings: dict) -> bool:
        """Seed 004: in-house users for any customer; seed 000: reps only when the administrator allows it."""
        return self.in_house or bool(self.sales_rep and tenant_settings.get("allow_sales_reps_to_create_users"))

    def names(self) -> str:
        return ", ".join(NAMES[r] for r in (SYSTEM_ADMINISTRATOR, IN_HOUSE, SALES_REP) if r in self.roles)


def current() -> StaffRole:
    user = sessions.user() or {}
    return StaffRole(frozenset(user.get("roles") or ()), user.get("sales_rep"))


def _required(allowed, refusal: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not allowed(current()):
                abort(403, refusal)
            return view(*args, **kwargs)
        return wrapped
    return decorator


# Pages for in-house users and system administrators, or for system administrators only (after staff_required).
in_house_required = _required(lambda role: role.in_house, "This page is for in-house users and system administrators.")
system_administrator_required = _required(lambda role: role.system_administrator,
                                          "This page is for system administrators.")
