"""The login page's steps after a right password (issue 19): the second factor (authenticator app code,
passkey or recovery code), or setting one up when the tenant requires it, then the recovery codes.

Each step posts back to the authorize URL with `step` and the pending login's `login_token`; the last one
hands the user to Authlib (`finish`), which redirects with the code. Passkeys are made and used here, with
this page's host as the relying party.
"""
from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, request

from eventkit.requests import metadata

from ..adapters import qr
from ..adapters.webauthn_ceremonies import Site
from ..domain import second_factors as second_factors_domain
from ..domain.errors import DomainError
from ..domain.second_factor_errors import CodeNotAccepted, LoginStepExpired, SecondFactorRefused
from ..domain.user_errors import TemporarilyLocked, UserStateConflict
from ..service_layer import passkeys, second_factors
from ..service_layer.passkeys import Assertion
from .http import tenant

# What the pages say for each refusal, in words a person understands.
REFUSALS = {
    SecondFactorRefused: "That code is not right, or was already used. Check it and try again.",
    CodeNotAccepted: "That code does not match. Check the app shows this account, then type its current code.",
    TemporarilyLocked: "Too many attempts: logging in with this username is paused for a while. Try again later.",
    UserStateConflict: "That did not work. Try again, or choose the other way.",
}
PASSKEY_REFUSED = "The passkey was not accepted. Try again, or use a recovery code."
# What each way of finishing a login adds to the password in the ID token's amr (RFC 8176): a code is a
# one-time password (an app's or a recovery code), a passkey a proof of possession of a key.
AMR = {"code": "otp", "recovery": "otp", "passkey": "pop", second_factors_domain.TOTP: "otp",
       second_factors_domain.PASSKEY: "pop"}


def _amr(way: str) -> tuple[str, ...]:
    return ("pwd", AMR[way], "mfa")


def _enrolled_amr(user) -> tuple[str, ...]:
    """A factor set up at this login is the user's only one (set-up is asked of users who have none)."""
    return _amr(next(iter(user.second_factors))) if len(user.second_factors) == 1 else ("pwd", "mfa")


def _identity():
    return current_app.extensions["identity"]


def site() -> Site:
    """This page's host is the passkeys' relying party: a passkey made here works only here."""
    return Site(rp_id=urlsplit(request.host_url).hostname, origin=request.host_url.rstrip("/"), name="Customer portal")


def _meta():
    return metadata(tenant(), request.form.get("username", "")[:100] or "login")


def second_factor_page(page, login_token: str, methods: list[str], error: str | None = None, status: int = 200):
    options = None
    if "passkey" in methods:
        options = passkeys.authentication_options(_meta(), site(), login_token, _identity().users_uow(),
                                                  _identity().security)
    return page("oidc/second_factor.html", status, login_token=login_token, methods=methods, error=error,
                passkey_options=options)


def set_up_page(page, login_token: str, error: str | None = None, status: int = 200):
    uow, security = _identity().users_uow, _identity().security
    setup = second_factors.start_totp(_meta(), uow(), security, login_token)
    options = passkeys.registration_options(_meta(), site(), login_token, uow(), security)
    return page("oidc/set_up.html", status, login_token=login_token, secret=setup.secret,
                qr_svg=qr.svg(setup.uri), passkey_options=options, error=error)


def _codes_page(page, login_token: str, done: second_factors.Enrolled, finish):
    if not done.recovery_codes:
        user = second_factors.set_up_and_shown(_meta(), login_token, _identity().users_uow(), _identity().security)
        return finish(user, _enrolled_amr(user))
    return page("oidc/recovery_codes.html", login_token=login_token, codes=done.recovery_codes)


def step(page, finish, expired):
    """Answer one posted step: the next page, or `finish(user)` once the second factor is done."""
    form, uow, security = request.form, _identity().users_uow, _identity().security
    token, name = form.get("login_token", "")[:200], form.get("step")
    try:
        if name in ("code", "recovery", "passkey"):
            proof = second_factors.Proof(
                code=form.get("code", "")[:20] if name == "code" else None,
                recovery_code=form.get("recovery_code", "")[:40] if name == "recovery" else None,
                passkey=Assertion(site(), form.get("credential", "")[:20000]) if name == "passkey" else None)
            return finish(second_factors.passed(_meta(), token, proof, uow(), security), _amr(name))
        if name == "set_up_app":
            done = second_factors.confirm_totp(_meta(), form.get("code", "")[:20], uow(), security, token,
                                               finish_login=False)
            return _codes_page(page, token, done, finish)
        if name == "new_passkey":
            done = passkeys.register(_meta(), site(), form.get("credential", "")[:20000], token, uow(), security,
                                     finish_login=False)
            return _codes_page(page, token, done, finish)
        if name == "continue":
            user = second_factors.set_up_and_shown(_meta(), token, uow(), security)
            return finish(user, _enrolled_amr(user))
    except LoginStepExpired:
        return expired()
    except DomainError as refused:
        status = 429 if isinstance(refused, TemporarilyLocked) else 401
        if name in ("set_up_app", "new_passkey"):
            return set_up_page(page, token, REFUSALS.get(type(refused), REFUSALS[UserStateConflict]), 400)
        words = PASSKEY_REFUSED if name == "passkey" else REFUSALS.get(type(refused), REFUSALS[SecondFactorRefused])
        methods = _methods(token)
        if methods is None:
            return expired()
        return second_factor_page(page, token, methods, words, status)
    return expired()


def _methods(token: str) -> list[str] | None:
    """The second factors of the login under way, to show its page again; None once it is over."""
    try:
        return second_factors.methods_of(tenant(), token, _identity().users_uow(), _identity().security)
    except LoginStepExpired:
        return None
