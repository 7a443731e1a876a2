"""Handlers for staff users: create one (the first administrator from the CLI), change its roles."""
from __future__ import annotations

import uuid

from eventkit.store import StreamAppend

from ..domain import passwords, staff, usernames
from ..domain.user import User, stream_id
from ..domain.user_commands import ChangeStaffRoles, CreateStaffUser
from . import policy
from .security import Security, add_link, new_link
from .users import claim, keep_a_system_administrator, load_user


def create_staff_user(cmd: CreateStaffUser, uow, security: Security) -> User:
    """A system administrator creates staff users; the operator's CLI (by None) creates the first one."""
    if cmd.by is not None:
        policy.system_administrator_only(cmd.by)
    username = usernames.check(cmd.username)
    password_hash = None
    if cmd.initial_password is not None:
        passwords.check(cmd.initial_password, username, "initial_password")
        password_hash = security.passwords.hash(cmd.initial_password)
    tenant, user_id = cmd.meta.tenant_id, uuid.uuid4()
    with uow:
        claim(uow, tenant, user_id, username, "staff", None, None, "active", cmd.name, cmd.emails)
        link = None
        if password_hash:
            # The operator typed it for themselves: no forced change, unlike a password given to someone else.
            uow.passwords.put(tenant, user_id, password_hash, must_change=cmd.by is not None)
        else:
            link = new_link(security, "set_password")
            add_link(uow, tenant, user_id, link)
        events = staff.create(user_id, username, cmd.name, cmd.emails, cmd.roles, cmd.sales_rep,
                              link.setup.sealed_token if link else None, link.setup.expires_at if link else None)
        stored = uow.append([StreamAppend(stream_id(user_id), "user", 0, events)], cmd.meta)
    return User.from_events(stored)


def change_staff_roles(cmd: ChangeStaffRoles, uow) -> User:
    policy.system_administrator_only(cmd.by)
    with uow:
        history, user = load_user(uow, cmd.meta.tenant_id, cmd.user_id)
        demotes = staff.SYSTEM_ADMINISTRATOR not in cmd.roles
        policy.may_change(cmd.by, user, demotes)
        events = staff.change_roles(user, cmd.roles, cmd.sales_rep)
        if demotes:
            keep_a_system_administrator(uow, cmd.meta.tenant_id, user)
        stored = uow.append([StreamAppend(stream_id(cmd.user_id), "user", len(history), events)], cmd.meta)
        if stored:
            uow.refresh_tokens.revoke_user(cmd.meta.tenant_id, user.user_id)  # new roles need a new login
    return User.from_events(history + stored)
