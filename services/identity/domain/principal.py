"""Who is acting: the user behind a verified access token."""
from __future__ import annotations

from dataclasses import dataclass, field

from .staff import IN_HOUSE, SALES_REP, SYSTEM_ADMINISTRATOR


@dataclass(frozen=True)
class Principal:
    tenant_id: str
    user_id: str
    username: str
    user_type: str  # "portal" or "staff"
    staff_roles: frozenset[str] = field(default_factory=frozenset)
    sales_rep: str | None = None
    customer_id: str | None = None

    @classmethod
    def from_claims(cls, claims: dict) -> "Principal":
        return cls(claims["tenant"], claims["sub"], claims["preferred_username"], claims["user_type"],
                   frozenset(claims.get("staff_roles") or ()), claims.get("sales_rep"), claims.get("customer_id"))

    @classmethod
    def from_user(cls, tenant_id: str, user) -> "Principal":
        """The caller as the store knows them now: roles revoked a second ago count (issue 14)."""
        return cls(tenant_id, str(user.user_id), user.username, user.user_type, frozenset(user.staff_roles),
                   user.sales_rep, user.customer_id)

    @property
    def is_staff(self) -> bool:
        return self.user_type == "staff"

    @property
    def is_system_administrator(self) -> bool:
        return self.is_staff and SYSTEM_ADMINISTRATOR in self.staff_roles

    @property
    def is_in_house(self) -> bool:
        """In-house users and system administrators act for every customer (seed 004)."""
        return self.is_staff and bool({IN_HOUSE, SYSTEM_ADMINISTRATOR} & self.staff_roles)

    @property
    def is_sales_rep(self) -> bool:
        return self.is_staff and SALES_REP in self.staff_roles and bool(self.sales_rep)
