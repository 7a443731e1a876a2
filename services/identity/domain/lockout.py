"""Brute-force protection, as Keycloak's: after too many failures in a row, no login for a while.

Failures are counted per username, known or not, so that a locked account and an unknown name
answer alike and the lock reveals nothing about which usernames exist.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True)
class LockoutPolicy:
    max_failures: int = 5
    lock_for: timedelta = timedelta(minutes=15)


@dataclass(frozen=True)
class Failures:
    count: int = 0
    locked_until: datetime | None = None

    def locked(self, now: datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: datetime, policy: LockoutPolicy) -> "Failures":
        """One more failure; the one that reaches the limit locks, and the count starts over."""
        count = 1 if self.locked_until is not None and now >= self.locked_until else self.count + 1
        if count >= policy.max_failures:
            return Failures(count, now + policy.lock_for)
        return Failures(count, None)
