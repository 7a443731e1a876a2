"""Errors of the second-factor step of a login (issue 19), each with the stable code the API answers with."""
from __future__ import annotations

from .errors import DomainError


class SecondFactorRequired(DomainError):
    """The password was right; the login goes on with the second factor (as Auth0's `mfa_required`)."""

    code, status, title = "auth.second_factor_required", 403, "Second factor required"

    def __init__(self, login_token: str, methods: list[str]):
        super().__init__("The password is right: now send the code of your authenticator app (or a recovery code) "
                         "with this login_token to POST .../auth/second-factor/verify, within 5 minutes.")
        self.login_token, self.methods = login_token, methods


class SecondFactorEnrolmentRequired(DomainError):
    """The tenant's policy requires a second factor this user does not have yet: set one up to get a token."""

    code, status, title = "auth.second_factor_enrolment_required", 403, "Set up a second factor first"

    def __init__(self, login_token: str):
        super().__init__("The password is right, and this portal requires a second factor: set up an authenticator "
                         "app with this login_token (POST .../auth/second-factor/totp, then .../totp/confirm), "
                         "within 5 minutes; that also logs you in.")
        self.login_token, self.methods = login_token, []


class SecondFactorRefused(DomainError):
    code, status, title = "auth.second_factor_invalid", 401, "Wrong code"

    def __init__(self, field: str = "code"):
        super().__init__("The code is wrong or was already used. After 5 failed attempts in a row, logins for that "
                         "username pause for 15 minutes.")
        self.field = field


class LoginStepExpired(DomainError):
    code, status, title = "auth.login_token_invalid", 401, "Log in again"

    def __init__(self):
        super().__init__("This login_token is unknown, expired (5 minutes) or already used: log in again with the "
                         "password.")
        self.field = "login_token"


class CodeNotAccepted(DomainError):
    """A first code that does not match the secret being set up: the app is not set up right yet."""

    code, status, title = "second_factor.code_invalid", 400, "The code does not match"

    def __init__(self):
        super().__init__("This code does not match: check the authenticator app shows this account, then type its "
                         "current code.")
        self.field = "code"


class SecondFactorStillRequired(DomainError):
    code, status, title = "second_factor.required_by_policy", 409, "A second factor is required"

    def __init__(self):
        super().__init__("This portal requires a second factor and this is your last one: add another before "
                         "removing it.")
