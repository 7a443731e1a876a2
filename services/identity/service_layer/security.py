"""What user handlers need besides the unit of work: hashing, sealing, signing, the clock, the limits."""
from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Callable

from contracts.identity_users import PASSWORD_RESET_CONTEXT, SET_PASSWORD_CONTEXT
from eventkit import sealed

from ..adapters.password_hasher import PasswordHasher
from ..adapters.secret_box import SecretBox
from ..adapters.signing import TokenSigner
from ..domain.lockout import LockoutPolicy
from ..domain.portal_users import LinkSetup

PURPOSES = {"set_password": SET_PASSWORD_CONTEXT, "reset": PASSWORD_RESET_CONTEXT}


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class Security:
    passwords: PasswordHasher
    signer: TokenSigner
    notifications_public_key: str  # seals link tokens for the notifications service
    link_ttl: timedelta = timedelta(hours=24)  # seed 004: the link expires in 24 h
    refresh_ttl: timedelta = timedelta(hours=12)
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)
    now: Callable[[], datetime] = utcnow
    secret_box: SecretBox | None = None  # seals TOTP secrets (issue 19)


@dataclass(frozen=True)
class Link:
    """A new one-time token: the plain token goes only into the table (hashed) and the sealed event field."""

    token: str
    purpose: str
    setup: LinkSetup


def new_link(security: Security, purpose: str) -> Link:
    token = secrets.token_urlsafe(32)
    sealed_token = sealed.seal(token, security.notifications_public_key, PURPOSES[purpose])
    return Link(token, purpose, LinkSetup(sealed_token, security.now() + security.link_ttl))


def add_link(uow, tenant_id: str, user_id, link: Link) -> None:
    uow.link_tokens.add(tenant_id, user_id, link.token, link.purpose, link.setup.expires_at)
