"""Registration (seeds 001, 004): a person signs up, by themselves or from an invitation, and waits for approval.

Without an existing customer, registration creates one through the customer aggregate's own decision
(customer.create), in the same transaction as the user: a company when a business name is given, an
individual account otherwise, if the tenant allows personal accounts.
"""
from __future__ import annotations

import secrets
import uuid

from eventkit.store import StreamAppend

from ..domain import customer as customer_domain
from ..domain import passwords, portal_users, usernames
from ..domain.customer import Customer, customer_id_for
from ..domain.portal_users import PortalUserDraft
from ..domain.user import User, stream_id
from ..domain.user_commands import RegisterUser
from ..domain.user_errors import BusinessNameRequired
from .invitation_tokens import redeem
from .security import Security
from .users import claim, load_customer, tenant_settings


def _new_customer(cmd: RegisterUser, uow) -> tuple[Customer, list[StreamAppend]]:
    if not cmd.business_name and not tenant_settings(uow, cmd.meta.tenant_id).allow_personal_account_registration:
        raise BusinessNameRequired()
    # Until the accounting system knows it, the web customer's code is also its receivable account.
    code = f"WEB-{secrets.token_hex(4).upper()}"
    cid = customer_id_for(cmd.meta.tenant_id, code)
    fields = {"kind": "company" if cmd.business_name else "individual",
              "name": cmd.business_name or f"{cmd.first_name} {cmd.last_name}", "receivable_account": code,
              "emails": list(cmd.emails)}
    event = customer_domain.create(None, cid, code, fields, imported=False)
    stored_like = Customer(cid, code, {k: fields.get(k) for k in customer_domain.FIELDS})
    return stored_like, [StreamAppend(customer_domain.stream_id(cid), "customer", 0, [event])]


def register_user(cmd: RegisterUser, uow, security: Security) -> User:
    """Create a pending user (UserRegistered); it logs in once an administrator approves it."""
    username = usernames.check(cmd.username)
    passwords.check(cmd.password, username)
    password_hash = security.passwords.hash(cmd.password)
    tenant = cmd.meta.tenant_id
    with uow:
        if cmd.invitation_token:
            cmd = redeem(uow, cmd, security.now())
        if cmd.customer_code:
            customer, appends = load_customer(uow, tenant, cmd.customer_code), []
        else:
            customer, appends = _new_customer(cmd, uow)
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
