"""Handlers for second factors (issue 19): set up an authenticator app, prove one at login (or spend a
recovery code), remove one. Passkeys' ceremonies are in passkeys.py; both end in `enrolled` or `verified`.

Who acts is either a logged-in user (`user_id`, from an access token) or a login under way (`login_token`,
from login_steps.py): a user the policy makes set one up gets there only with their password.
"""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.envelope import Metadata
from eventkit.store import StreamAppend

from ..domain import second_factors, usernames
from ..domain.errors import DomainError
from ..domain.second_factor_errors import CodeNotAccepted, SecondFactorRefused, SecondFactorStillRequired
from ..domain.user import User, stream_id
from ..domain.user_errors import TemporarilyLocked, UserStateConflict
from ..domain.principal import Principal
from . import login_steps, policy
from .auth import Tokens, count_failure, issue
from .security import Security
from .users import load_user, tenant_settings


@dataclass(frozen=True)
class TotpSetup:
    secret: str
    uri: str  # otpauth://, what the QR code holds


@dataclass(frozen=True)
class Enrolled:
    user: User
    recovery_codes: list[str]  # shown once; empty when the user already had theirs
    tokens: Tokens | None = None  # when a login under way finished with it


@dataclass(frozen=True)
class Proof:
    """What the user sent as their second factor: one of these."""
    code: str | None = None
    recovery_code: str | None = None
    passkey: object = None  # passkeys.Assertion


def acting(uow, security: Security, tenant_id: str, login_token: str | None, user_id) -> tuple[list, User]:
    """The user who sets up a factor: the logged-in one, or the one of a login that must set one up."""
    if login_token:
        _, history, user = login_steps.pending(uow, security, tenant_id, login_token, login_steps.ENROL)
        return history, user
    return load_user(uow, tenant_id, user_id)


def _context(tenant_id: str, user_id) -> str:
    return f"{tenant_id}/{user_id}"


def start_totp(meta: Metadata, uow, security: Security, login_token: str | None = None, user_id=None) -> TotpSetup:
    """A new secret for an authenticator app, kept unconfirmed until its first code comes back."""
    with uow:
        _, user = acting(uow, security, meta.tenant_id, login_token, user_id)
        if second_factors.TOTP in user.second_factors:
            raise UserStateConflict("An authenticator app is already set up: remove it first to set up another.")
        context, row = _context(meta.tenant_id, user.user_id), uow.totp.get(meta.tenant_id, user.user_id)
        if row is not None and row["confirmed_at"] is None:  # asked again (a page shown again): the same secret
            secret = security.secret_box.open(row["secret_sealed"], context)
        else:
            secret = second_factors.new_totp_secret()
            uow.totp.start(meta.tenant_id, user.user_id, security.secret_box.seal(secret, context))
    return TotpSetup(secret, second_factors.provisioning_uri(secret, user.username, meta.tenant_id))


def confirm_totp(meta: Metadata, code: str, uow, security: Security, login_token: str | None = None, user_id=None,
                 finish_login: bool = True) -> Enrolled:
    """The app's first code proves it holds the secret: the factor counts from now on (an event)."""
    with uow:
        history, user = acting(uow, security, meta.tenant_id, login_token, user_id)
        row = uow.totp.get(meta.tenant_id, user.user_id)
        if row is None or row["confirmed_at"] is not None:
            raise UserStateConflict("No authenticator app is being set up: start again.")
        secret = security.secret_box.open(row["secret_sealed"], _context(meta.tenant_id, user.user_id))
        step = second_factors.totp_step(secret, code, security.now(), None)
        if step is None:
            raise CodeNotAccepted()
        uow.totp.used(meta.tenant_id, user.user_id, step, security.now())
        return enrolled(meta, uow, security, history, user, second_factors.TOTP, login_token, finish_login)


def enrolled(meta: Metadata, uow, security: Security, history, user: User, method: str, login_token: str | None,
             finish_login: bool) -> Enrolled:
    """Record a new factor (and the first recovery codes); a login under way gets its tokens, or (the login
    page, which shows the codes first) passes its second-factor step."""
    codes = [] if user.second_factors else second_factors.new_recovery_codes()
    if codes:
        uow.recovery_codes.replace(meta.tenant_id, user.user_id,
                                   [second_factors.normal_recovery_code(c) for c in codes])
    stored = uow.append([StreamAppend(stream_id(user.user_id), "user", len(history),
                                      second_factors.enrolled(user, method))], meta)
    user, tokens = User.from_events(history + stored), None
    if login_token and finish_login:
        login_steps.done(uow, security, login_token)
        tokens = issue(uow, security, meta.tenant_id, user)
    elif login_token:
        uow.pending_logins.update(login_token, stage=login_steps.PASSED)
    return Enrolled(user, codes, tokens)


def check(uow, security: Security, meta: Metadata, login_token: str, proof: Proof) -> tuple[list, User] | DomainError:
    """The user of a login under way whose second factor is right; else the error to raise after commit
    (failures count with the password's, under the same lock and limit: domain/lockout.py)."""
    row, history, user = login_steps.pending(uow, security, meta.tenant_id, login_token, login_steps.SECOND_FACTOR)
    key, now = usernames.key(user.username), security.now()
    failures = uow.login_failures.get(meta.tenant_id, key)
    if failures.locked(now):
        return TemporarilyLocked(int((failures.locked_until - now).total_seconds()))
    if proof.passkey is not None:
        uow.pending_logins.update(login_token, challenge=None)  # a challenge is answered once
    events = _proven(uow, security, meta.tenant_id, user, proof, row["challenge"])
    if events is None:
        refusal = SecondFactorRefused("recovery_code" if proof.recovery_code else "passkey" if proof.passkey else "code")
        return count_failure(uow, security, meta, key, failures, history, user, refusal)
    uow.login_failures.clear(meta.tenant_id, key)
    stored = uow.append([StreamAppend(stream_id(user.user_id), "user", len(history), events)], meta) if events else []
    return history + stored, user


def _proven(uow, security: Security, tenant_id: str, user: User, proof: Proof, challenge) -> list | None:
    """The events a right proof calls for ([] for most), None for a wrong one."""
    now = security.now()
    if proof.recovery_code:
        left = uow.recovery_codes.use(tenant_id, user.user_id, second_factors.normal_recovery_code(proof.recovery_code),
                                      now)
        return None if left is None else second_factors.recovery_code_used(user, left)
    if proof.passkey is not None:
        from .passkeys import authenticated  # passkeys.py builds on this module's `enrolled`
        return [] if second_factors.PASSKEY in user.second_factors and authenticated(
            uow, tenant_id, user, proof.passkey, challenge, now) else None
    row = uow.totp.get(tenant_id, user.user_id) if second_factors.TOTP in user.second_factors else None
    if row is None or not proof.code:
        return None
    secret = security.secret_box.open(row["secret_sealed"], _context(tenant_id, user.user_id))
    step = second_factors.totp_step(secret, proof.code, now, row["last_step"])
    if step is None:
        return None
    uow.totp.used(tenant_id, user.user_id, step, now)
    return []


def passed(meta: Metadata, login_token: str, proof: Proof, uow, security: Security, then=None):
    """The user of a login whose second factor is right (the login token is spent), or `then(uow, user)`;
    a wrong one raises once its failure is recorded."""
    with uow:
        outcome = check(uow, security, meta, login_token, proof)
        if not isinstance(outcome, DomainError):
            login_steps.done(uow, security, login_token)
            outcome = then(uow, outcome[1]) if then else outcome[1]
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def verify(meta: Metadata, login_token: str, proof: Proof, uow, security: Security) -> Tokens:
    """The login API's second step: the right second factor for the login token gets the tokens."""
    return passed(meta, login_token, proof, uow, security,
                  lambda uow, user: issue(uow, security, meta.tenant_id, user))


def methods_of(tenant_id: str, login_token: str, uow, security: Security) -> list[str]:
    """The second factors a login under way may be finished with."""
    with uow:
        _, _, user = login_steps.pending(uow, security, tenant_id, login_token, login_steps.SECOND_FACTOR)
    return login_steps.methods(user)


def set_up_and_shown(meta: Metadata, login_token: str, uow, security: Security) -> User:
    """The login page's last step after setting a factor up: the recovery codes were shown, log in."""
    with uow:
        _, _, user = login_steps.pending(uow, security, meta.tenant_id, login_token, login_steps.PASSED)
        login_steps.done(uow, security, login_token)
    return user


def remove(meta: Metadata, user_id, method: str, uow, by: Principal | None = None) -> None:
    """Remove a factor (its secret or keys too); the last one takes the recovery codes with it. The user keeps
    their last one when the tenant's policy requires one; staff (`by`: in-house, a system administrator's only
    by another) remove it for a user who lost the device and the codes, who sets one up at the next login."""
    with uow:
        history, user = load_user(uow, meta.tenant_id, user_id)
        if by is not None:
            policy.in_house_only(by)
            policy.may_change(by, user, removes_power=True)
        if method not in user.second_factors:
            return
        required = second_factors.required(tenant_settings(uow, meta.tenant_id).second_factor_policy, user)
        if by is None and user.second_factors == {method} and required:
            raise SecondFactorStillRequired()
        if method == second_factors.TOTP:
            uow.totp.remove(meta.tenant_id, user.user_id)
        else:
            uow.passkeys.remove(meta.tenant_id, user.user_id)
        if user.second_factors == {method}:
            uow.recovery_codes.remove(meta.tenant_id, user.user_id)
        uow.append([StreamAppend(stream_id(user.user_id), "user", len(history),
                                 second_factors.removed(user, method, "user" if by is None else "staff"))], meta)


def new_recovery_codes(tenant_id: str, user_id, uow) -> list[str]:
    """Ten fresh recovery codes for a user with a second factor (the old ones stop working), shown once."""
    with uow:
        _, user = load_user(uow, tenant_id, user_id)
        if not user.second_factors:
            raise UserStateConflict("Recovery codes come with a second factor: set one up first.")
        codes = second_factors.new_recovery_codes()
        uow.recovery_codes.replace(tenant_id, user.user_id, [second_factors.normal_recovery_code(c) for c in codes])
    return codes


def status(tenant_id: str, user_id, uow) -> dict:
    """What the user logs in with after the password, and how many recovery codes they have left."""
    with uow:
        _, user = load_user(uow, tenant_id, user_id)
        return {"methods": sorted(user.second_factors), "passkeys": len(uow.passkeys.of_user(tenant_id, user_id)),
                "recovery_codes_left": uow.recovery_codes.left(tenant_id, user_id),
                "policy": tenant_settings(uow, tenant_id).second_factor_policy}
