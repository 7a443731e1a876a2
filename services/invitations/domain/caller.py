"""Who is asking, as identity's access token says, and what they may do here (seed 004).

In-house users and system administrators invite any customer; a sales rep only the customers
assigned to their sales rep code. Settings, history and unapproved usernames are for in-house users.
"""
from __future__ import annotations

from dataclasses import dataclass

from .errors import CustomerOfAnotherSalesRep, Forbidden

IN_HOUSE_ROLES = frozenset({"in-house", "system-administrator"})


@dataclass(frozen=True)
class Caller:
    user_id: str
    username: str
    user_type: str
    staff_roles: frozenset[str] = frozenset()
    sales_rep: str | None = None

    @classmethod
    def from_claims(cls, claims: dict) -> "Caller":
        return cls(str(claims["sub"]), claims.get("preferred_username") or str(claims["sub"]),
                   claims.get("user_type", "portal"), frozenset(claims.get("staff_roles") or ()),
                   claims.get("sales_rep"))

    @classmethod
    def from_row(cls, user_id: str, row: dict) -> "Caller":
        """The caller as identity's events say they are now (eventkit/callers.py)."""
        return cls(str(user_id), row["username"], row["user_type"], frozenset(row["staff_roles"]), row["sales_rep"])

    @property
    def is_in_house(self) -> bool:
        return self.user_type == "staff" and bool(IN_HOUSE_ROLES & self.staff_roles)

    @property
    def is_sales_rep(self) -> bool:
        return self.user_type == "staff" and "sales-rep" in self.staff_roles and bool(self.sales_rep)

    def person(self) -> dict[str, str]:
        """How events name the inviter."""
        return {"user_id": self.user_id, "username": self.username}


def in_house_only(caller: Caller) -> None:
    if not caller.is_in_house:
        raise Forbidden("auth.in_house_only", "Only in-house users and system administrators may do this.")


def may_invite(caller: Caller) -> None:
    if not (caller.is_in_house or caller.is_sales_rep):
        raise Forbidden("auth.staff_only", "Only the distributor's in-house users and sales reps invite customers.")


def own_customers_only(caller: Caller, customers: list[dict]) -> None:
    """A sales rep acts only for customers whose sales rep code is theirs."""
    if caller.is_in_house:
        return
    foreign = [c["code"] for c in customers if c.get("sales_rep") != caller.sales_rep]
    if foreign:
        raise CustomerOfAnotherSalesRep(foreign, caller.sales_rep)


def sales_rep_filter(caller: Caller, requested: str | None) -> str | None:
    """The sales rep filter a caller may use: a rep's own code, whatever they asked for."""
    if caller.is_in_house:
        return requested
    if requested not in (None, caller.sales_rep):
        raise CustomerOfAnotherSalesRep([f"of sales rep {requested!r}"], caller.sales_rep)
    return caller.sales_rep
