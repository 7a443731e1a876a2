"""Seals the TOTP secrets identity must read back (unlike passwords, a shared secret cannot be hashed).

AES-256-GCM under a key derived (HKDF-SHA256) from identity's signing key, so no new key to configure:
a copy of the table alone opens nothing. Replacing the signing key means users set their authenticator
app up again (an in-house user removes their second factor; they enrol at the next login).
"""
from __future__ import annotations

import base64
import json
import os

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

INFO = b"portico.identity.totp-secret"


class SecretBox:
    def __init__(self, signing_jwk: dict | str):
        jwk = json.loads(signing_jwk) if isinstance(signing_jwk, str) else signing_jwk
        seed = base64.urlsafe_b64decode(jwk["d"] + "=" * (-len(jwk["d"]) % 4))
        self._aead = AESGCM(HKDF(hashes.SHA256(), 32, salt=None, info=INFO).derive(seed))

    def seal(self, secret: str, context: str) -> bytes:
        """The secret bound to its context (tenant and user): a row copied to another user opens nothing."""
        nonce = os.urandom(12)
        return nonce + self._aead.encrypt(nonce, secret.encode(), context.encode())

    def open(self, sealed: bytes, context: str) -> str:
        sealed = bytes(sealed)
        return self._aead.decrypt(sealed[:12], sealed[12:], context.encode()).decode()
