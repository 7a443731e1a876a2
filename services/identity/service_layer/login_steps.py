"""What a login whose password was right still needs before its tokens: the user's second factor, or
setting one up when the tenant's policy requires it (issue 19). Both paths ask it: the login API and
the OpenID Connect login page.

The step is a pending login: a 256-bit token (kept as its SHA-256) valid 5 minutes, that names the user.
"""
from __future__ import annotations

import secrets
from datetime import timedelta

from ..domain import second_factors
from ..domain.errors import DomainError
from ..domain.second_factor_errors import LoginStepExpired, SecondFactorEnrolmentRequired, SecondFactorRequired
from ..domain.user import User
from .security import Security
from .users import load_user, tenant_settings

PENDING_FOR = timedelta(minutes=5)
SECOND_FACTOR, ENROL, PASSED = "second_factor", "enrol", "passed"


def after_password(uow, security: Security, tenant_id: str, user: User) -> DomainError | None:
    """None when the user gets tokens now; else the step to answer with, its pending login recorded."""
    if user.second_factors:
        return SecondFactorRequired(begin(uow, security, tenant_id, user, SECOND_FACTOR), methods(user))
    if second_factors.required(tenant_settings(uow, tenant_id).second_factor_policy, user):
        return SecondFactorEnrolmentRequired(begin(uow, security, tenant_id, user, ENROL))
    return None


def methods(user: User) -> list[str]:
    """What finishes the user's login: their factors, or one of their recovery codes."""
    return sorted(user.second_factors) + [second_factors.RECOVERY_CODE]


def begin(uow, security: Security, tenant_id: str, user: User, stage: str) -> str:
    token = secrets.token_urlsafe(32)
    uow.pending_logins.add(token, tenant_id, user.user_id, stage, security.now() + PENDING_FOR)
    return token


def pending(uow, security: Security, tenant_id: str, token: str, *stages: str) -> tuple[dict, list, User]:
    """The pending login of a token in one of `stages`, with its user's history; else LoginStepExpired."""
    row = uow.pending_logins.get(tenant_id, token or "", security.now()) if token else None
    if row is None or row["stage"] not in stages:
        raise LoginStepExpired()
    history, user = load_user(uow, tenant_id, row["user_id"])
    if not user.can_log_in():
        raise LoginStepExpired()
    return row, history, user


def done(uow, security: Security, token: str) -> None:
    uow.pending_logins.remove(token, security.now())
