"""Login, refresh and logout: verify the password, count failures, issue an access and a refresh token.

Handlers decide an outcome inside the transaction and raise only after it committed: a failed login
must still record the failure (and a lock), which an exception inside `with uow` would roll back.
"""
from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass

from eventkit.envelope import Metadata
from eventkit.store import StreamAppend

from ..domain import session, usernames, user_lifecycle
from ..domain.user import User, stream_id
from ..domain.user_errors import (AccountNotActive, DomainError, LoginRefused, PasswordChangeRequired,
                                  RefreshRefused, TemporarilyLocked)
from . import login_steps
from .security import Security
from .users import load_user


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_in: int
    user: User


def claims_for(tenant_id: str, user: User, session_id) -> dict:
    """Who asks: tenant, kind of user, roles, customer and rep, and the session (`sid`) a logout ends.

    Services decide from their own current view of the user; the roles here are what they were at issue."""
    claims = {"tenant": tenant_id, "preferred_username": user.username, "user_type": user.user_type,
              "sid": str(session_id)}
    if user.user_type == "portal":
        d = user.details
        claims.update(kind=d["kind"], areas=sorted(user.areas), roles=sorted(f"portal.{a}" for a in user.areas),
                      customer_id=d["customer_id"], customer_code=d["customer_code"],
                      receivable_account=d["receivable_account"], own_orders_only=d["own_orders_only"])
    else:
        claims.update(staff_roles=list(user.staff_roles), sales_rep=user.sales_rep)
    return claims


def issue(uow, security: Security, tenant_id: str, user: User, family_id=None, client: dict | None = None) -> Tokens:
    """A rotated refresh token of the session (`family_id`, new if None) and an access token; `client`: the
    registered OpenID Connect client's `client_id` (and `scope`) for its tokens, else the login API's."""
    now = security.now()
    refresh, family_id = secrets.token_urlsafe(32), family_id or uuid.uuid4()
    uow.refresh_tokens.add(tenant_id, user.user_id, refresh, family_id, now + security.refresh_ttl)
    access = security.signer.issue(str(user.user_id), {**claims_for(tenant_id, user, family_id), **(client or {})}, now)
    return Tokens(access, refresh, int(security.signer.ttl.total_seconds()), user)


def authenticate(uow, security: Security, meta: Metadata, username: str, password: str):
    """(history, user, credential) for the right password, else the error to raise after commit."""
    tenant, key, now = meta.tenant_id, usernames.key(username.strip()), security.now()
    failures = uow.login_failures.get(tenant, key)
    if failures.locked(now):
        return TemporarilyLocked(int((failures.locked_until - now).total_seconds()))
    user_id = uow.usernames.find(tenant, key)
    history, user = load_user(uow, tenant, user_id) if user_id else ([], None)
    credential = uow.passwords.get(tenant, user_id) if user_id else None
    if security.passwords.verify(credential["password_hash"] if credential else None, password):
        if not user.second_factors:  # else the failures count on until the second factor is right too
            uow.login_failures.clear(tenant, key)
        if security.passwords.needs_rehash(credential["password_hash"]):
            uow.passwords.put(tenant, user_id, security.passwords.hash(password), credential["must_change"])
        return history, user, credential
    return count_failure(uow, security, meta, key, failures, history, user, LoginRefused())


def count_failure(uow, security: Security, meta: Metadata, key: str, failures, history, user: User | None,
                  refusal: DomainError) -> DomainError:
    """One more failed attempt for the username (a password or a second factor): the one that reaches the
    limit locks it (and says so in the user's history), else `refusal`."""
    now = security.now()
    failures = failures.after_failure(now, security.lockout)
    uow.login_failures.put(meta.tenant_id, key, failures)
    if not failures.locked(now):
        return refusal
    if user is not None:
        uow.append([StreamAppend(stream_id(user.user_id), "user", len(history),
                                 user_lifecycle.locked(user, failures.count, failures.locked_until))], meta)
    return TemporarilyLocked(int(security.lockout.lock_for.total_seconds()))


def log_in(meta: Metadata, username: str, password: str, uow, security: Security) -> Tokens:
    """Only active users (approved, password set, not disabled or deleted) get tokens."""
    with uow:
        outcome = authenticate(uow, security, meta, username, password)
        if not isinstance(outcome, DomainError):
            _, user, credential = outcome
            if not user.can_log_in():
                outcome = AccountNotActive(user.status)
            elif credential["must_change"]:
                outcome = PasswordChangeRequired()
            else:
                outcome = login_steps.after_password(uow, security, meta.tenant_id, user) \
                    or issue(uow, security, meta.tenant_id, user)
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def end_session(uow, meta: Metadata, row: dict, reason: str, now) -> None:
    """Revoke the refresh token family and tell every service to refuse its access tokens (`sid`)."""
    if uow.refresh_tokens.revoke_family(row["family_id"], now):
        _, user = load_user(uow, meta.tenant_id, row["user_id"])
        uow.append([StreamAppend(session.stream_id(row["family_id"]), "session", 0,
                                 session.ended(user, row["family_id"], reason))], meta)


def refresh(meta: Metadata, refresh_token: str, uow, security: Security) -> Tokens:
    """Rotate: the old token is spent; presenting a spent one again revokes its whole family (theft)."""
    now, tenant_id = security.now(), meta.tenant_id
    with uow:
        row = uow.refresh_tokens.spend(tenant_id, refresh_token, now)
        outcome: Tokens | DomainError = RefreshRefused()
        if row and row["revoked_at"] is None and row["expires_at"] > now:
            _, user = load_user(uow, tenant_id, row["user_id"])
            if row["used_at"] is not None:
                end_session(uow, meta, row, "refresh_token_reused", now)
            elif not user.can_log_in():
                uow.refresh_tokens.revoke_family(row["family_id"], now)
            else:
                outcome = issue(uow, security, tenant_id, user, row["family_id"])
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def log_out(meta: Metadata, refresh_token: str, uow, security: Security) -> None:
    """End the refresh token's session, its access tokens too; answering alike whether it existed."""
    with uow:
        row = uow.refresh_tokens.spend(meta.tenant_id, refresh_token, security.now())
        if row:
            end_session(uow, meta, row, "logout", security.now())
