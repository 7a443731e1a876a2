"""The key store of crypto-shredding (issue 17): a data key per person, wrapped, and forgetting it.

A personal value is sealed with AES-GCM under its subject's data key, with the tenant, the subject
and the field as associated data, so a ciphertext copied into another field or another person's event
does not open. Data keys are stored only wrapped (AES-GCM again) by the key-encryption key from
configuration. Once a subject is forgotten its key is gone: every copy of its ciphertext, in the event
store, on Kafka or in a projection, opens to FORGOTTEN and nothing else, which is the whole point.
Identity's store seals with it on append (adapters/sealing_store.py) and releases keys to the other
services' consumers (entrypoints/personal_data_api.py): see docs/erasure-and-history.md.
"""
from __future__ import annotations

import os

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from eventkit.personal import FORGOTTEN, open_value, seal  # noqa: F401 (the cipher, shared with the consumers)

_NONCE = 12


class KeyWrapper:
    """Wraps and unwraps data keys with the key-encryption key (32 bytes)."""

    def __init__(self, kek: bytes):
        if len(kek) != 32:
            raise ValueError("the key-encryption key must be 32 bytes (AES-256)")
        self._aead = AESGCM(kek)

    def wrap(self, tenant_id: str, subject: str, data_key: bytes) -> bytes:
        nonce = os.urandom(_NONCE)
        return nonce + self._aead.encrypt(nonce, data_key, f"{tenant_id}|{subject}".encode())

    def unwrap(self, tenant_id: str, subject: str, wrapped: bytes) -> bytes:
        return self._aead.decrypt(wrapped[:_NONCE], wrapped[_NONCE:], f"{tenant_id}|{subject}".encode())


def key_of(conn, wrapper: KeyWrapper, tenant_id: str, subject: str) -> bytes | None:
    """The subject's data key, made on first use; None once the subject is forgotten."""
    return keys_made(conn, wrapper, tenant_id, [subject])[subject]


def keys_made(conn, wrapper: KeyWrapper, tenant_id: str, subjects) -> dict[str, bytes | None]:
    """Every subject's data key, each made on first use (None: forgotten), in two statements however many
    there are: an import's chunk seals thousands of contacts, and two round trips each were most of its time.
    In the subjects' order, so two transactions making overlapping keys wait for each other, never deadlock."""
    subjects = sorted(set(subjects))
    if not subjects:
        return {}
    wrapped = [wrapper.wrap(tenant_id, s, AESGCM.generate_key(bit_length=256)) for s in subjects]
    conn.execute("INSERT INTO subject_keys (tenant_id, subject, wrapped_key)"
                 " SELECT %s, subject, wrapped FROM unnest(%s::text[], %s::bytea[]) AS made(subject, wrapped)"
                 " ORDER BY subject ON CONFLICT DO NOTHING", (tenant_id, subjects, wrapped))
    return keys_of(conn, wrapper, tenant_id, subjects)


def keys_of(conn, wrapper: KeyWrapper, tenant_id: str, subjects) -> dict[str, bytes | None]:
    """The data keys of those subjects that have one (None: forgotten); a subject never sealed is absent."""
    rows = conn.execute("SELECT subject, wrapped_key FROM subject_keys WHERE tenant_id = %s AND subject = ANY(%s)",
                        (tenant_id, list(subjects))).fetchall()
    return {r["subject"]: None if r["wrapped_key"] is None else
            wrapper.unwrap(tenant_id, r["subject"], bytes(r["wrapped_key"])) for r in rows}


def forget(conn, tenant_id: str, subject: str, reason: str) -> bool:
    """Delete the subject's key for good; False when it was already forgotten."""
    done = conn.execute("INSERT INTO subject_keys (tenant_id, subject, wrapped_key, forgotten_at, reason)"
                        " VALUES (%s, %s, NULL, now(), %s) ON CONFLICT (tenant_id, subject) DO UPDATE SET"
                        " wrapped_key = NULL, forgotten_at = now(), reason = EXCLUDED.reason"
                        " WHERE subject_keys.forgotten_at IS NULL RETURNING 1", (tenant_id, subject, reason))
    return done.fetchone() is not None
