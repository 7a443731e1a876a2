"""Decisions about any user's life: approval, deletion, disabling, passwords, locking."""
from __future__ import annotations

from datetime import datetime

from eventkit.envelope import NewEvent

from .user import (APPROVED, DELETED, DISABLED, ENABLED, LOCKED, PASSWORD_CHANGED, PASSWORD_SET, RESET_REQUESTED,
                   User)
from .user_errors import UserStateConflict


def _not_deleted(user: User) -> None:
    if user.deleted:
        raise UserStateConflict(f"User {user.username!r} is deleted.")


def approve(user: User) -> list[NewEvent]:
    """Let a registered user log in; approving twice changes nothing."""
    _not_deleted(user)
    if user.approved:
        return []
    return [NewEvent(APPROVED, 1, {**user.ref(), "customer_id": user.customer_id})]


def delete(user: User, reason: str | None) -> list[NewEvent]:
    if user.deleted:
        return []
    return [NewEvent(DELETED, 1, {**user.lifecycle_ref(), "customer_id": user.customer_id, "reason": reason})]


def disable(user: User, reason: str | None) -> list[NewEvent]:
    _not_deleted(user)
    if user.disabled:
        return []
    return [NewEvent(DISABLED, 1, {**user.lifecycle_ref(), "reason": reason})]


def enable(user: User) -> list[NewEvent]:
    _not_deleted(user)
    if not user.disabled:
        return []
    return [NewEvent(ENABLED, 1, user.lifecycle_ref())]


def password_set(user: User, via: str) -> list[NewEvent]:
    _not_deleted(user)
    return [NewEvent(PASSWORD_SET, 1, {**user.lifecycle_ref(), "via": via})]


def password_changed(user: User, forced: bool) -> list[NewEvent]:
    _not_deleted(user)
    return [NewEvent(PASSWORD_CHANGED, 1, {**user.lifecycle_ref(), "forced": forced})]


def reset_requested(user: User, sealed_token: str, expires_at: datetime) -> list[NewEvent]:
    """A reset link for an existing, undeleted user; callers answer alike when there is none."""
    _not_deleted(user)
    emails = list(user.details.get("emails") or [])
    return [NewEvent(RESET_REQUESTED, 1, {**user.lifecycle_ref(), "emails": emails, "reset_token": sealed_token,
                                          "expires_at": expires_at.isoformat()})]


def locked(user: User, failed_attempts: int, until: datetime) -> list[NewEvent]:
    return [NewEvent(LOCKED, 1, {**user.lifecycle_ref(), "failed_attempts": failed_attempts,
                                 "locked_until": until.isoformat()})]
