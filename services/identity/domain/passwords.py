"""The password policy (NIST SP 800-63B in spirit: length and a deny list, no composition rules)."""
from __future__ import annotations

from datetime import datetime, timedelta

from .user_errors import WeakPassword

MIN_LENGTH, MAX_LENGTH = 10, 128
RESET_LINKS_PER_HOUR = 3
# The most common choices and the portal's own words; a breached-password list would be the next step.
DENIED = frozenset({
    "password", "password1", "password12", "password123", "password1234", "passw0rd", "p@ssw0rd",
    "1234567890", "12345678910", "0123456789", "qwertyuiop", "qwerty1234", "qwerty12345", "1q2w3e4r5t",
    "iloveyou12", "letmein123", "welcome123", "welcome1234", "changeme123", "administrator", "abc1234567",
    "portico123", "portico1234", "customerportal", "portal1234", "trustno1234",
})


RULES = (f"At least {MIN_LENGTH} and at most {MAX_LENGTH} characters; a few words make a good one.",
         "Not containing your username.",
         "Not a common or simple password such as password123 or 1234567890.")


def check(password: str, username: str, field: str = "password") -> None:
    """Raise WeakPassword naming the rule the password breaks; the message never repeats it."""
    if len(password) < MIN_LENGTH:
        raise WeakPassword(f"Use at least {MIN_LENGTH} characters.", field)
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"Use at most {MAX_LENGTH} characters.", field)
    lowered = password.casefold()
    if username and username.casefold() in lowered:
        raise WeakPassword("The password must not contain the username.", field)
    if lowered in DENIED or len(set(lowered)) < 4:
        raise WeakPassword("This password is too common or too simple; choose another.", field)


def reset_allowed(requested_at: list[datetime], now: datetime) -> bool:
    """Another reset link for a user, unless RESET_LINKS_PER_HOUR went out within the hour: asking again and
    again must not flood a mailbox (the caller answers alike either way, so nothing is revealed)."""
    return sum(1 for t in requested_at if now - t < timedelta(hours=1)) < RESET_LINKS_PER_HOUR
