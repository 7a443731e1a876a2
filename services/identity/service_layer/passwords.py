"""Handlers for passwords: set one through a link, ask for a reset link, change it (forced at first login)."""
from __future__ import annotations

from eventkit.envelope import Metadata
from eventkit.store import StreamAppend

from ..domain import passwords, user_lifecycle, usernames
from ..domain.user import RESET_REQUESTED, User, stream_id
from ..domain.user_errors import AccountNotActive, DomainError, InvalidLink, UserStateConflict
from . import login_steps
from .auth import Tokens, authenticate, issue
from .security import Security, add_link, new_link
from .users import load_user

VIA = {"set_password": "set_password_link", "reset": "reset_link"}


def set_password_with_link(meta: Metadata, token: str, password: str, uow, security: Security) -> None:
    """Spend a set-password or reset token (single use, 24 h) and store the new password's hash."""
    now = security.now()
    with uow:
        spent = uow.link_tokens.use(meta.tenant_id, token, now)
        if spent is None:
            raise InvalidLink()
        history, user = load_user(uow, meta.tenant_id, spent["user_id"])
        if user.deleted:
            raise InvalidLink()
        passwords.check(password, user.username)  # refused: the rollback leaves the token unspent
        uow.passwords.put(meta.tenant_id, user.user_id, security.passwords.hash(password))
        uow.link_tokens.spend_all(meta.tenant_id, user.user_id, now)
        uow.login_failures.clear(meta.tenant_id, usernames.key(user.username))
        uow.refresh_tokens.revoke_user(meta.tenant_id, user.user_id)
        uow.append([StreamAppend(stream_id(user.user_id), "user", len(history),
                                 user_lifecycle.password_set(user, VIA[spent["purpose"]]))], meta)


def forgot_password(meta: Metadata, username: str, uow) -> None:
    """Queue the request: one insert whatever the name, so the answer's time tells nothing about who exists."""
    with uow:
        uow.reset_requests.add(meta.tenant_id, username[:100], meta.correlation_id, meta.traceparent)


def work_on_reset_request(uow, security: Security) -> bool:
    """Take one queued forgot-password request and send its link if it may; False when none is waiting."""
    with uow:
        request = uow.reset_requests.take()
        if request is None:
            return False
        meta = Metadata(request["tenant_id"], "anonymous", request["correlation_id"],
                        traceparent=request["traceparent"])
        _send_reset_link(meta, request["username"], uow, security)
    return True


def _send_reset_link(meta: Metadata, username: str, uow, security: Security) -> None:
    """A reset link if the username exists, has an address and asked fewer than three times this hour."""
    user_id = uow.usernames.find(meta.tenant_id, usernames.key(username.strip()))
    if user_id is None:
        return
    history, user = load_user(uow, meta.tenant_id, user_id)
    if user.deleted or not user.details.get("emails"):
        return
    if not passwords.reset_allowed([e.occurred_at for e in history if e.type == RESET_REQUESTED], security.now()):
        return
    link = new_link(security, "reset")
    add_link(uow, meta.tenant_id, user.user_id, link)
    uow.append([StreamAppend(stream_id(user.user_id), "user", len(history),
                             user_lifecycle.reset_requested(user, link.setup.sealed_token,
                                                            link.setup.expires_at))], meta)


def change_password(meta: Metadata, username: str, password: str, new_password: str, uow,
                    security: Security) -> Tokens:
    """Change the password giving the current one (failures count as failed logins), then log in."""
    with uow:
        outcome = change_in(uow, security, meta, username, password, new_password)
        if not isinstance(outcome, DomainError):  # a second factor first, if the user has or needs one
            outcome = (login_steps.after_password(uow, security, meta.tenant_id, outcome)
                       or issue(uow, security, meta.tenant_id, outcome))
    if isinstance(outcome, DomainError):
        raise outcome
    return outcome


def change_in(uow, security: Security, meta: Metadata, username: str, password: str, new_password: str):
    """In the caller's unit of work: the user with its new password, or the refusal to raise after commit
    (the login API issues its tokens; identity's login page goes on with the code flow)."""
    outcome = authenticate(uow, security, meta, username, password)
    if isinstance(outcome, DomainError):
        return outcome
    history, user, credential = outcome
    passwords.check(new_password, user.username, "new_password")
    if new_password == password:
        raise UserStateConflict("The new password must differ from the current one.")
    if not user.can_log_in():
        return AccountNotActive(user.status)
    uow.passwords.put(meta.tenant_id, user.user_id, security.passwords.hash(new_password))
    uow.refresh_tokens.revoke_user(meta.tenant_id, user.user_id)
    stored = uow.append([StreamAppend(stream_id(user.user_id), "user", len(history),
                                      user_lifecycle.password_changed(user, credential["must_change"]))], meta)
    return User.from_events(history + stored)
