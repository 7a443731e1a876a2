"""Second factors (issue 19): an authenticator app (TOTP, RFC 6238) or a passkey (WebAuthn) after the
password, recovery codes for a lost device, and the tenant's policy saying who must have one.

Pure decisions: the secrets live in the second-factor tables (adapters/second_factor_tables.py), the
events only say that a factor was added, removed or a recovery code spent.
"""
from __future__ import annotations

import base64
import secrets
from datetime import datetime

import pyotp

from contracts.identity import SECOND_FACTOR_POLICIES as POLICIES
from contracts.identity_users import SECOND_FACTOR_METHODS as METHODS
from eventkit.envelope import NewEvent

from .user import RECOVERY_CODE_USED, SECOND_FACTOR_ENROLLED, SECOND_FACTOR_REMOVED, User
from .user_errors import UserStateConflict

TOTP, PASSKEY, RECOVERY_CODE = METHODS + ("recovery_code",)
# The tenant's policy (POLICIES): who must have a second factor before they get a token.
OPTIONAL, REQUIRED_FOR_STAFF, REQUIRED_FOR_EVERYONE = POLICIES
RECOVERY_CODES = 10
TOTP_WINDOW = 1  # one 30-second step either side: a phone's clock a little off still works
ISSUER = "Portico"


def required(policy: str, user: User) -> bool:
    """Whether the tenant's policy makes this user have a second factor."""
    return policy == REQUIRED_FOR_EVERYONE or (policy == REQUIRED_FOR_STAFF and user.user_type == "staff")


def new_totp_secret() -> str:
    return pyotp.random_base32()  # 160 bits, as RFC 4226 recommends


def provisioning_uri(secret: str, username: str, company: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=company or ISSUER)


def totp_step(secret: str, code: str, now: datetime, last_step: int | None) -> int | None:
    """The time step a code belongs to, or None if it is wrong or was already used (RFC 6238 section 5.2)."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp, step = pyotp.TOTP(secret), int(now.timestamp()) // 30
    for candidate in range(step - TOTP_WINDOW, step + TOTP_WINDOW + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate if last_step is None or candidate > last_step else None
    return None


def new_recovery_codes() -> list[str]:
    """Ten codes of 80 random bits each (so a SHA-256 of one cannot be guessed back), shown once."""
    codes = (base64.b32encode(secrets.token_bytes(10)).decode().lower() for _ in range(RECOVERY_CODES))
    return ["-".join(c[i:i + 4] for i in range(0, 16, 4)) for c in codes]


def normal_recovery_code(code: str) -> str:
    """A recovery code as typed: any case, with or without its dashes and spaces."""
    return "".join(ch for ch in code.lower() if ch.isalnum())


def enrolled(user: User, method: str) -> list[NewEvent]:
    if user.deleted:
        raise UserStateConflict(f"User {user.username!r} is deleted.")
    return [NewEvent(SECOND_FACTOR_ENROLLED, 1, {**user.lifecycle_ref(), "method": method})]


def removed(user: User, method: str, by: str) -> list[NewEvent]:
    if method not in user.second_factors:
        return []
    return [NewEvent(SECOND_FACTOR_REMOVED, 1, {**user.lifecycle_ref(), "method": method, "removed_by": by})]


def recovery_code_used(user: User, remaining: int) -> list[NewEvent]:
    return [NewEvent(RECOVERY_CODE_USED, 1, {**user.lifecycle_ref(), "remaining": remaining})]
