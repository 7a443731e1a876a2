"""Registration (seeds 001, 004): a person signs up, by themselves or from an invitation, and waits for approval.

Without an existing customer, registration creates one through the customer aggregate's own decision
(customer.create), in the same transaction as the user: a company when a business name is given, an
individual account otherwise, if the tenant allows personal accounts.

Anyone may try, so a self-registration tells nothing about the tenant's customers (issue 14): a code that
names no customer is registered like no code at all (a new web customer, waiting for approval like any
registration), the business-name rule applies to both alike, and the answer does not name the customer.
A tenant nobody set up (no user, customer or settings) has no registration.
"""
from __future__ import annotations

import secrets
import uuid

from eventkit import rate_limits
from eventkit.rate_limits import Limit
from eventkit.store import StreamAppend

from ..domain import customer as customer_domain
from ..domain import passwords, portal_users, usernames
from ..domain.customer import Customer, customer_id_for
from ..domain.portal_users import PortalUserDraft
from ..domain.user import User, stream_id
from ..domain.user_commands import RegisterUser
from ..domain.errors import TenantNotFound
from ..domain.user_errors import BusinessNameRequired, TooManyRegistrations
from . import customers
from .invitation_tokens import redeem
from .security import Security
from .users import claim, load_customer, tenant_settings


def _business_name_rule(cmd: RegisterUser, uow) -> None:
    if not cmd.business_name and not tenant_settings(uow, cmd.meta.tenant_id).allow_personal_account_registration:
        raise BusinessNameRequired()


def _tenant_is_set_up(uow, tenant_id: str) -> bool:
    """A tenant is set up once identity holds anything of it: its first administrator, a customer, settings."""
    return uow.conn.execute("SELECT 1 FROM events WHERE tenant_id = %s LIMIT 1", (tenant_id,)).fetchone() is not None


def _customer(cmd: RegisterUser, uow) -> tuple[Customer, list[StreamAppend]]:
    """The invited customer; for a self-registration the named one if it exists, else a new web customer."""
    if cmd.invitation_id is not None:
        return load_customer(uow, cmd.meta.tenant_id, cmd.customer_code), []
    _business_name_rule(cmd, uow)
    customer = customers.load(uow, cmd.meta.tenant_id, cmd.customer_code) if cmd.customer_code else None
    return (customer, []) if customer is not None else _new_customer(cmd)


def _new_customer(cmd: RegisterUser) -> tuple[Customer, list[StreamAppend]]:
    # Until the accounting system knows it, the web customer's code is also its receivable account.
    code = f"WEB-{secrets.token_hex(4).upper()}"
    cid = customer_id_for(cmd.meta.tenant_id, code)
    fields = {"kind": "company" if cmd.business_name else "individual",
              "name": cmd.business_name or f"{cmd.first_name} {cmd.last_name}", "receivable_account": code,
              "emails": list(cmd.emails)}
    event = customer_domain.create(None, cid, code, fields, imported=False)
    stored_like = Customer(cid, code, {k: fields.get(k) for k in customer_domain.FIELDS})
    return stored_like, [StreamAppend(customer_domain.stream_id(cid), "customer", 0, [event])]


def _within_limits(uow, limits: list[tuple[Limit, str]], now) -> None:
    over = rate_limits.first_over(uow.conn, limits, now)
    if over:
        limit, wait = over
        raise TooManyRegistrations(limit.what, wait, rate_limits.in_words(wait))


def register_user(cmd: RegisterUser, uow, security: Security, limits: list[tuple[Limit, str]] = ()) -> User:
    """Create a pending user (UserRegistered); it logs in once an administrator approves it.

    `limits` (per e-mail address, per client) count each self-registration that is made: they are counted
    in its transaction, so a refused one rolls its hits back."""
    username = usernames.check(cmd.username)
    passwords.check(cmd.password, username)
    password_hash = security.passwords.hash(cmd.password)
    tenant = cmd.meta.tenant_id
    with uow:
        if not _tenant_is_set_up(uow, tenant):
            raise TenantNotFound(tenant)
        if cmd.invitation_token:
            cmd = redeem(uow, cmd, security.now())
        customer, appends = _customer(cmd, uow)
        if cmd.invitation_id is None:  # an invitation's single-use link is its own limit
            _within_limits(uow, list(limits), security.now())
        user_id = uuid.uuid4()
        claim(uow, tenant, user_id, username, "portal", "management", customer.customer_id, "pending",
              f"{cmd.first_name} {cmd.last_name}", cmd.emails)
        uow.passwords.put(tenant, user_id, password_hash)
        draft = PortalUserDraft(username, "management", None, customer.fields["receivable_account"],
                                list(cmd.emails), frozenset(), False)
        events = portal_users.register(user_id, draft, customer, first_name=cmd.first_name, last_name=cmd.last_name,
                                       business_name=cmd.business_name, invitation_id=cmd.invitation_id)
        stored = uow.append(appends + [StreamAppend(stream_id(user_id), "user", 0, events)], cmd.meta)
    return User.from_events([e for e in stored if e.stream_id == stream_id(user_id)])
