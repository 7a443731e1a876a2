"""Handlers for passkeys (WebAuthn) as a second factor: register one while logging in, and the challenge
a login answers with one. The ceremonies happen on identity's own login page, whose host is the relying
party (a passkey works only where it was made); the challenge waits on the pending login, single use.
"""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.envelope import Metadata

from ..adapters import webauthn_ceremonies as ceremonies
from ..domain import second_factors
from ..domain.second_factor_errors import SecondFactorRefused
from ..domain.user import User
from ..domain.user_errors import UserStateConflict
from . import login_steps
from .second_factors import Enrolled, enrolled
from .security import Security


@dataclass(frozen=True)
class Assertion:
    """A passkey's answer to a login's challenge, as the browser's credential.toJSON() gives it."""
    site: ceremonies.Site
    credential_json: str


def registration_options(meta: Metadata, site: ceremonies.Site, login_token: str, uow, security: Security) -> str:
    """Options to create a passkey for the user of a login that must set up a second factor."""
    with uow:
        _, _, user = login_steps.pending(uow, security, meta.tenant_id, login_token, login_steps.ENROL)
        existing = [bytes(p["credential_id"]) for p in uow.passkeys.of_user(meta.tenant_id, user.user_id)]
        options, challenge = ceremonies.registration_options(site, user.user_id.bytes, user.username, existing)
        uow.pending_logins.update(login_token, challenge=challenge)
    return options


def register(meta: Metadata, site: ceremonies.Site, credential_json: str, login_token: str, uow, security: Security,
             finish_login: bool = True) -> Enrolled:
    """Keep the passkey the authenticator made for the challenge (its public key and counter)."""
    with uow:
        row, history, user = login_steps.pending(uow, security, meta.tenant_id, login_token, login_steps.ENROL)
        uow.pending_logins.update(login_token, challenge=None)
        made = ceremonies.registered(site, credential_json, bytes(row["challenge"])) if row["challenge"] else None
        if made is None:
            raise UserStateConflict("The passkey could not be set up: try again, or set up an authenticator app.")
        uow.passkeys.add(meta.tenant_id, user.user_id, made.credential_id, made.public_key, made.sign_count)
        return enrolled(meta, uow, security, history, user, second_factors.PASSKEY, login_token, finish_login)


def authentication_options(meta: Metadata, site: ceremonies.Site, login_token: str, uow, security: Security) -> str:
    """Options to ask the user's passkeys for the login's second factor."""
    with uow:
        _, _, user = login_steps.pending(uow, security, meta.tenant_id, login_token, login_steps.SECOND_FACTOR)
        if second_factors.PASSKEY not in user.second_factors:
            raise SecondFactorRefused("passkey")
        ids = [bytes(p["credential_id"]) for p in uow.passkeys.of_user(meta.tenant_id, user.user_id)]
        options, challenge = ceremonies.authentication_options(site, ids)
        uow.pending_logins.update(login_token, challenge=challenge)
    return options


def authenticated(uow, tenant_id: str, user: User, assertion: Assertion, challenge: bytes | None, now) -> bool:
    """Whether one of the user's passkeys signed the challenge; its counter moves on."""
    credential_id = ceremonies.credential_id(assertion.credential_json)
    passkey = uow.passkeys.get(tenant_id, user.user_id, credential_id) if credential_id and challenge else None
    if passkey is None:
        return False
    count = ceremonies.asserted(assertion.site, assertion.credential_json, bytes(challenge),
                                bytes(passkey["public_key"]), passkey["sign_count"])
    if count is None:
        return False
    uow.passkeys.used(credential_id, count, now)
    return True
