"""Who may do what (seeds 000, 004). Each refusal is a Forbidden whose code names the rule."""
from __future__ import annotations

from ..domain.customer import Customer
from ..domain.principal import Principal
from ..domain.staff import SYSTEM_ADMINISTRATOR
from ..domain.settings import TenantSettings
from ..domain.user import User
from ..domain.user_errors import Forbidden


def staff_only(by: Principal) -> None:
    if not by.is_staff:
        raise Forbidden("auth.staff_only", "Only the distributor's staff may do this.")


def in_house_only(by: Principal) -> None:
    """Customers, imports and user administration: in-house users and system administrators."""
    if not by.is_in_house:
        raise Forbidden("auth.in_house_only", "Only in-house users and system administrators may do this.")


def system_administrator_only(by: Principal) -> None:
    if not by.is_system_administrator:
        raise Forbidden("auth.system_administrator_only", "Only a system administrator may do this.")


def _own_customer(by: Principal, customer: Customer) -> None:
    if not by.is_sales_rep or customer.fields.get("sales_rep") != by.sales_rep:
        raise Forbidden("auth.customer_of_another_sales_rep",
                        f"Customer {customer.code!r} is not assigned to your sales rep code; "
                        "a sales rep acts only for their own customers.")


def may_read_customer(by: Principal, customer: Customer) -> None:
    """In-house users read every customer, sales reps their own."""
    staff_only(by)
    if not by.is_in_house:
        _own_customer(by, customer)


def may_create_user_for(by: Principal, customer: Customer, settings: TenantSettings) -> None:
    """Seed 004: in-house users for any customer; seed 000: reps only if the administrator allows it."""
    staff_only(by)
    if by.is_in_house:
        return
    if not by.is_sales_rep:
        raise Forbidden("auth.in_house_only", "Only in-house users and sales reps may create portal users.")
    if not settings.allow_sales_reps_to_create_users:
        raise Forbidden("auth.sales_reps_may_not_create_users",
                        "The system administrator has not allowed sales reps to set up portal accounts "
                        "(setting allow_sales_reps_to_create_users).")
    _own_customer(by, customer)


def may_read_user(by: Principal, user: User, customer: Customer | None) -> None:
    """Staff read the users they may manage; a portal user reads itself."""
    if by.user_type == "portal" and by.user_id == str(user.user_id):
        return
    staff_only(by)
    if by.is_in_house:
        return
    if customer is None:
        raise Forbidden("auth.in_house_only", "Only in-house users and system administrators may read staff users.")
    _own_customer(by, customer)


def may_change(by: Principal, user: User, removes_power: bool) -> None:
    """Nobody changes their own status or roles; only a system administrator disables, deletes or demotes one."""
    if by.user_id == str(user.user_id):
        raise Forbidden("auth.not_yourself", "Nobody changes their own status or roles: ask another administrator.")
    if removes_power and user.user_type == "staff" and SYSTEM_ADMINISTRATOR in user.staff_roles:
        system_administrator_only(by)
