"""Invitation link tokens: random, and kept only as their SHA-256."""
from __future__ import annotations

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """What is stored and published instead of the token; identity computes the same to check a link."""
    return hashlib.sha256(token.encode()).hexdigest()
