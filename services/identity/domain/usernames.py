"""Usernames: their shape, the case-insensitive key that makes them unique, and suggestions."""
from __future__ import annotations

import re
import unicodedata

from .user_errors import InvalidUsername

_SHAPE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@-]{1,98}[A-Za-z0-9]$")
STAFF_SUFFIX = "S"  # seed 004: the staff username is the management one with an "S" at the end


def key(username: str) -> str:
    """Unique per tenant under this key: JOHN.SMITH and john.smith are the same username."""
    return username.casefold()


def check(username: str) -> str:
    username = username.strip()
    if not _SHAPE.fullmatch(username):
        raise InvalidUsername("A username has 3 to 100 letters, digits, '.', '_', '-' or '@', "
                              "and starts and ends with a letter or digit.")
    return username


def suggest(first_name: str, last_name: str) -> str:
    """firstname.lastname, as seed 002 advises, in plain lower-case ASCII."""
    def plain(text: str) -> str:
        ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return ".".join(p for p in (plain(first_name), plain(last_name)) if p) or "user"


def staff_twin(username: str) -> str:
    return username + STAFF_SUFFIX


def numbered(username: str, n: int) -> str:
    return f"{username}{n}"
