"""Errors about users, passwords, login and permissions, each with the stable code the API answers with."""
from __future__ import annotations

from .errors import DomainError


class UserNotFound(DomainError):
    code, status, title = "user.not_found", 404, "No such user"

    def __init__(self, user_id):
        super().__init__(f"No user {user_id} in this tenant.")


class UsernameTaken(DomainError):
    code, status, title = "user.username_taken", 409, "Username already used"

    def __init__(self, username: str, suggestion: str | None = None):
        hint = f" Try {suggestion!r}." if suggestion else ""
        super().__init__(f"The username {username!r} is taken in this tenant (case does not matter).{hint}")
        self.field, self.suggestion = "username", suggestion


class InvalidUsername(DomainError):
    code, status, title = "user.invalid_username", 400, "Invalid username"

    def __init__(self, detail: str):
        super().__init__(detail)
        self.field = "username"


class UserStateConflict(DomainError):
    """The user is not in a state that allows this (e.g. approving a deleted user)."""

    code, status, title = "user.state_conflict", 409, "Not possible in the user's state"


class WeakPassword(DomainError):
    code, status, title = "password.rejected", 400, "Choose another password"

    def __init__(self, detail: str, field: str = "password"):
        super().__init__(detail)
        self.field = field


class InvalidLink(DomainError):
    code, status, title = "password.link_invalid", 400, "Link invalid or expired"

    def __init__(self):
        super().__init__("This link is unknown, already used or older than 24 hours. "
                         "Ask for a new one with 'forgot password'.")


class TokenRevoked(DomainError):
    """A verified access token whose user is no longer active or whose session ended (logout)."""

    code, status, title = "auth.token_revoked", 401, "Authentication required"



class TooManyRegistrations(DomainError):
    code, status, title = "registration.rate_limited", 429, "Too many registrations"

    def __init__(self, what: str, retry_after: int, in_words: str):
        super().__init__(f"Too many {what} for now; try again in {in_words}.")
        self.retry_after = retry_after


class LastSystemAdministrator(DomainError):
    code, status, title = "user.last_system_administrator", 409, "The tenant needs a system administrator"

    def __init__(self, username: str):
        super().__init__(f"{username!r} is the tenant's last active system administrator: make another staff "
                         "user a system administrator first.")


class Forbidden(DomainError):
    """A permission rule refused the request; `code` names the rule."""

    status, title = 403, "Not allowed"

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


class BusinessNameRequired(DomainError):
    code, status, title = "registration.business_name_required", 400, "Business name required"

    def __init__(self):
        super().__init__("This portal registers businesses only (allow_personal_account_registration is off): "
                         "enter your business name.")
        self.field = "business_name"


class LoginRefused(DomainError):
    """Wrong username or password, or no password yet: one answer, so usernames cannot be probed."""

    code, status, title = "auth.invalid_credentials", 401, "Wrong username or password"

    def __init__(self):
        super().__init__("The username or password is wrong. After 5 failed attempts in a row, "
                         "logins for that username pause for 15 minutes.")


class TemporarilyLocked(DomainError):
    code, status, title = "auth.temporarily_locked", 429, "Too many failed logins"

    def __init__(self, retry_after: int):
        super().__init__(f"Too many failed logins for this username: try again in {max(1, retry_after // 60)} "
                         "minute(s), or reset the password with 'forgot password'.")
        self.retry_after = retry_after


class AccountNotActive(DomainError):
    """Said only after the right password, so it tells nothing to someone guessing."""

    code, status, title = "auth.account_not_active", 403, "This account cannot log in"

    def __init__(self, status: str):
        reasons = {"pending": "it is waiting for an administrator's approval",
                   "disabled": "it has been disabled; ask your distributor"}
        super().__init__(f"This account cannot log in: {reasons.get(status, status)}.")
        self.account_status = status


class PasswordChangeRequired(DomainError):
    code, status, title = "auth.password_change_required", 403, "Change your password first"

    def __init__(self):
        super().__init__("This is an initial password: change it with POST .../auth/password "
                         "(username, password, new_password), which also logs you in.")


class RefreshRefused(DomainError):
    code, status, title = "auth.refresh_token_invalid", 401, "Log in again"

    def __init__(self):
        super().__init__("The refresh token is unknown, expired, revoked or already used; log in again.")
