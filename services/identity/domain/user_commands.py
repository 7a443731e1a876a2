"""Commands about users: what staff, portal users and people registering ask for."""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.envelope import Metadata

from .principal import Principal


@dataclass(frozen=True)
class CreatePortalUser:
    """Seeds 000, 002, 004: staff create a customer's user; with_staff_user makes the "S" twin too."""

    meta: Metadata
    by: Principal
    customer_code: str
    username: str
    contact_id: str | None
    receivable_account: str | None
    emails: list[str]
    areas: frozenset[str]
    own_orders_only: bool
    welcome_email: bool
    initial_password: str | None
    with_staff_user: bool = False


@dataclass(frozen=True)
class RegisterUser:
    """Seeds 001, 004: a person registers, by themselves or from an invitation; pending approval."""

    meta: Metadata
    username: str
    password: str
    first_name: str
    last_name: str
    emails: list[str]
    business_name: str | None = None
    customer_code: str | None = None
    invitation_id: str | None = None
    invitation_token: str | None = None  # from an invitation's link: it names the customer and the invitation


@dataclass(frozen=True)
class ChangeUser:
    """approve, delete, disable or enable a user."""

    meta: Metadata
    by: Principal
    user_id: str
    action: str
    reason: str | None = None


@dataclass(frozen=True)
class SetAccess:
    """Set a portal user's areas and/or own-orders flag; None leaves one as it is."""

    meta: Metadata
    by: Principal
    user_id: str
    areas: frozenset[str] | None = None
    own_orders_only: bool | None = None


@dataclass(frozen=True)
class CreateStaffUser:
    """`by` None: the operator's bootstrap CLI, which creates a tenant's first system administrator."""

    meta: Metadata
    by: Principal | None
    username: str
    name: str
    emails: list[str]
    roles: list[str]
    sales_rep: str | None
    initial_password: str | None


@dataclass(frozen=True)
class ChangeStaffRoles:
    meta: Metadata
    by: Principal
    user_id: str
    roles: list[str]
    sales_rep: str | None
