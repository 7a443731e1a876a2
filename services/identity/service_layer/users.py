"""Handlers for portal users: create (one or a management/staff pair), change state and access, read."""
from __future__ import annotations

import uuid
from dataclasses import dataclass

from eventkit.store import StreamAppend

from ..domain import passwords, portal_users, user_lifecycle, usernames
from ..domain.customer import Customer
from ..domain.customer import stream_id as customer_stream
from ..domain.errors import ContactNotFound, CustomerNotFound
from ..domain.portal_users import LinkSetup, PortalUserDraft
from ..domain.settings import TenantSettings
from ..domain.settings import stream_id as settings_stream
from ..domain.user import User, stream_id
from ..domain.user_commands import ChangeUser, CreatePortalUser, SetAccess
from ..domain.staff import SYSTEM_ADMINISTRATOR
from ..domain.user_errors import LastSystemAdministrator, UsernameTaken, UserNotFound
from . import customers, policy
from .security import Security, add_link, new_link

ACTIONS = {"approve": lambda u, r: user_lifecycle.approve(u), "delete": user_lifecycle.delete,
           "disable": user_lifecycle.disable, "enable": lambda u, r: user_lifecycle.enable(u)}
COUNTED = ("pending", "active", "disabled")  # seed 004: approved or not; deleted ones are not billed


def load_user(uow, tenant_id: str, user_id) -> tuple[list, User]:
    """The user's history and state; a user of another tenant does not exist here."""
    history = uow.read_stream(stream_id(user_id))
    user = User.from_events(history)
    if user is None or history[0].tenant_id != tenant_id:
        raise UserNotFound(user_id)
    return history, user


def load_customer(uow, tenant_id: str, code: str) -> Customer:
    customer = customers.load(uow, tenant_id, code)
    if customer is None:
        raise CustomerNotFound(code)
    return customer


def tenant_settings(uow, tenant_id: str) -> TenantSettings:
    return TenantSettings.from_events(uow.read_stream(settings_stream(tenant_id)))


def claim(uow, tenant_id: str, user_id, username: str, user_type: str, kind, customer_id, status: str,
          person_name: str | None = None, emails=()) -> None:
    """Take the username in this transaction, or refuse with a free one to suggest."""
    if not uow.usernames.claim(tenant_id, user_id, username, usernames.key(username), user_type, kind,
                               customer_id, status, person_name, emails):
        raise UsernameTaken(username, suggest_free(uow, tenant_id, username))


def suggest_free(uow, tenant_id: str, username: str) -> str:
    n = 2
    while uow.usernames.taken(tenant_id, usernames.key(usernames.numbered(username, n))):
        n += 1
    return usernames.numbered(username, n)


def create_portal_users(cmd: CreatePortalUser, uow, security: Security) -> list[User]:
    """Create the user (and its "S" staff twin on request), each with a set-password link or the initial password."""
    policy.staff_only(cmd.by)  # before the customer is looked up: a portal user learns nothing of its codes
    username = usernames.check(cmd.username)
    names = [(username, "management")] + ([(usernames.staff_twin(username), "staff")] if cmd.with_staff_user else [])
    password_hash = None
    if cmd.initial_password is not None:
        passwords.check(cmd.initial_password, username, "initial_password")
        password_hash = security.passwords.hash(cmd.initial_password)  # before the transaction: it is slow
    tenant = cmd.meta.tenant_id
    with uow:
        customer = load_customer(uow, tenant, cmd.customer_code)
        policy.may_create_user_for(cmd.by, customer, tenant_settings(uow, tenant))
        if cmd.contact_id and cmd.contact_id not in customer.contacts:
            raise ContactNotFound(customer.code, cmd.contact_id)
        appends, paired_with = [], None
        emails = cmd.emails or list(customer.fields.get("emails") or [])
        for name, kind in names:
            user_id = uuid.uuid4()
            claim(uow, tenant, user_id, name, "portal", kind, customer.customer_id, "active",
                  _contact_name(customer, cmd.contact_id), emails)
            draft = PortalUserDraft(name, kind, cmd.contact_id,
                                    cmd.receivable_account or customer.fields["receivable_account"],
                                    emails, cmd.areas, cmd.own_orders_only)
            setup = LinkSetup(None, None)
            if password_hash:
                uow.passwords.put(tenant, user_id, password_hash, must_change=True)
            else:
                link = new_link(security, "set_password")
                add_link(uow, tenant, user_id, link)
                setup = link.setup
            events = portal_users.create(user_id, draft, customer, welcome_email=cmd.welcome_email, link=setup,
                                         paired_with=paired_with)
            appends.append(StreamAppend(stream_id(user_id), "user", 0, events))
            paired_with = paired_with or user_id
        stored = uow.append(appends, cmd.meta)
    return [User.from_events([e for e in stored if e.stream_id == a.stream_id]) for a in appends]


def _contact_name(customer: Customer, contact_id: str | None) -> str | None:
    contact = customer.contacts.get(contact_id) if contact_id else None
    return f"{contact['first_name']} {contact['last_name']}" if contact else None


def is_active_system_administrator(user: User) -> bool:
    return user.user_type == "staff" and user.status == "active" and SYSTEM_ADMINISTRATOR in user.staff_roles


def keep_a_system_administrator(uow, tenant_id: str, user: User) -> None:
    """Refuse to take the tenant's last active system administrator away (disable, delete, demote).

    Locking the tenant's staff usernames first makes two administrators removing each other at the same
    moment take turns: the second sees the first's change and is refused."""
    if not is_active_system_administrator(user):
        return
    others = [u for u in uow.usernames.lock_staff(tenant_id) if u != user.user_id]
    if not any(is_active_system_administrator(User.from_events(uow.read_stream(stream_id(u)))) for u in others):
        raise LastSystemAdministrator(user.username)


def change_user(cmd: ChangeUser, uow) -> User:
    """Approve, delete, disable or enable a user (in-house users and administrators, seed 004)."""
    policy.in_house_only(cmd.by)
    tenant, removes = cmd.meta.tenant_id, cmd.action in ("delete", "disable")
    with uow:
        history, user = load_user(uow, tenant, cmd.user_id)
        policy.may_change(cmd.by, user, removes)
        if removes:
            keep_a_system_administrator(uow, tenant, user)
        stored = uow.append([StreamAppend(stream_id(cmd.user_id), "user", len(history),
                                          ACTIONS[cmd.action](user, cmd.reason))], cmd.meta)
        user = User.from_events(history + stored)
        uow.usernames.set_status(tenant, user.user_id, user.status)
        if user.status in ("deleted", "disabled"):
            uow.refresh_tokens.revoke_user(tenant, user.user_id)
    return user


def set_access(cmd: SetAccess, uow) -> User:
    """Set areas (roles granted and revoked one event each) and the own-orders flag."""
    policy.in_house_only(cmd.by)
    with uow:
        history, user = load_user(uow, cmd.meta.tenant_id, cmd.user_id)
        policy.may_change(cmd.by, user, removes_power=False)
        events = portal_users.set_areas(user, cmd.areas) if cmd.areas is not None else []
        if cmd.own_orders_only is not None:
            events += portal_users.set_own_orders_only(user, cmd.own_orders_only)
        stored = uow.append([StreamAppend(stream_id(cmd.user_id), "user", len(history), events)], cmd.meta)
    return User.from_events(history + stored)


def get_user(tenant_id: str, user_id, by, uow) -> User:
    with uow:
        _, user = load_user(uow, tenant_id, user_id)
        customer = None
        if user.customer_id:
            customer = Customer.from_events(uow.read_stream(customer_stream(user.customer_id)))
        policy.may_read_user(by, user, customer)
    return user


def list_users(tenant_id: str, by, uow, status: str | None = None, user_type: str | None = None,
               limit: int = 200) -> list[dict]:
    """The tenant's usernames, e.g. status=pending for seed 004's "Unapproved Usernames"."""
    policy.in_house_only(by)
    with uow:
        return uow.usernames.listing(tenant_id, status, user_type, limit)


@dataclass(frozen=True)
class UserSearch:
    q: str | None = None  # part of the username, the person's name, an e-mail, or the customer's name or code
    customer_code: str | None = None
    status: str | None = None  # pending, active, disabled or deleted; none: all but deleted
    page: int = 1
    page_size: int = 50


def search_portal_users(tenant_id: str, by, uow, customers_table: str, f: UserSearch) -> dict:
    """The tenant's portal usernames searched and paged, with the billing counts (seed 004)."""
    policy.in_house_only(by)
    with uow:
        found = uow.usernames.search(tenant_id, customers_table, f, COUNTED)
    found["items"] = [{**r, "user_id": str(r["user_id"]), "customer_id": str(r["customer_id"])
                       if r["customer_id"] else None} for r in found["items"]]
    return found


def usernames_of_customer(tenant_id: str, code: str, by, uow) -> list[dict]:
    """A customer's usernames that count for billing (seed 004): approved or not, deleted excluded."""
    policy.staff_only(by)  # before the customer is looked up: a portal user learns nothing of its codes
    with uow:
        customer = load_customer(uow, tenant_id, code)
        policy.may_read_customer(by, customer)
        return uow.usernames.of_customer(tenant_id, customer.customer_id, COUNTED)


def suggest_username(tenant_id: str, first_name: str, last_name: str, by, uow) -> str:
    """firstname.lastname (seed 002), numbered when taken in the tenant."""
    policy.staff_only(by)
    wanted = usernames.suggest(first_name, last_name)
    with uow:
        if not uow.usernames.taken(tenant_id, usernames.key(wanted)):
            return wanted
        return suggest_free(uow, tenant_id, wanted)
