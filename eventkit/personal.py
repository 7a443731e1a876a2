"""The cipher of personal values (issue 17, crypto-shredding): AES-GCM under the subject's data key.

A value is sealed with the tenant, the subject and the field as associated data, so a ciphertext copied
into another field or another person's event does not open. Whoever holds a subject's data key opens
its values here; the keys themselves live only in identity's key store, and other services get them
through its audited key release (docs/erasure-and-history.md). Once a subject is forgotten there is no
key, and every copy of its ciphertext opens to FORGOTTEN.
"""
from __future__ import annotations

import base64
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

FORGOTTEN = "[forgotten]"
_NONCE = 12


def _aad(tenant_id: str, subject: str, field: str) -> bytes:
    return f"{tenant_id}|{subject}|{field}".encode()


def seal(data_key: bytes, tenant_id: str, subject: str, field: str, value: str) -> dict:
    """A personal value as events carry it: the subject and base64(nonce + AES-GCM ciphertext)."""
    nonce = os.urandom(_NONCE)
    sealed = nonce + AESGCM(data_key).encrypt(nonce, value.encode(), _aad(tenant_id, subject, field))
    return {"subject": subject, "ciphertext": base64.b64encode(sealed).decode()}


def open_value(data_key: bytes | None, tenant_id: str, field: str, sealed: dict) -> str:
    """The clear value, or FORGOTTEN once the subject's key is gone. A forged or moved value raises."""
    if data_key is None:
        return FORGOTTEN
    raw = base64.b64decode(sealed["ciphertext"])
    try:
        return AESGCM(data_key).decrypt(raw[:_NONCE], raw[_NONCE:],
                                        _aad(tenant_id, sealed["subject"], field)).decode()
    except InvalidTag:
        raise ValueError(f"the sealed {field} does not belong to {sealed['subject']} or was altered") from None
