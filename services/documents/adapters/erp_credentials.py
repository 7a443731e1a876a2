"""The ERP's credentials: API keys per tenant, sent as `Authorization: Bearer <key>`.

A key is 256 random bits, so a plain SHA-256 of it is safe to store and fast to look up; argon2's
slowness protects guessable passwords and would buy nothing here. The key itself is shown once,
when it is made (`python -m documents.entrypoints.admin_cli erp-key create`), and never stored.
"""
from __future__ import annotations

import hashlib
import secrets
import uuid

PREFIX = "perp_"  # tells an ERP key from a user's JWT at a glance, in a header or a leaked log


def key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def create(conn, tenant_id: str, name: str) -> tuple[uuid.UUID, str]:
    """A new key for the tenant's ERP: (credential id, the key to hand over once)."""
    credential_id, key = uuid.uuid4(), PREFIX + secrets.token_urlsafe(32)
    conn.execute("INSERT INTO erp_credentials (credential_id, tenant_id, name, key_hash) VALUES (%s, %s, %s, %s)",
                 (credential_id, tenant_id, name, key_hash(key)))
    return credential_id, key


def find(conn, key: str) -> dict | None:
    """The unrevoked credential this key belongs to, if any."""
    if not key.startswith(PREFIX):
        return None
    return conn.execute("SELECT credential_id, tenant_id, name FROM erp_credentials"
                        " WHERE key_hash = %s AND revoked_at IS NULL", (key_hash(key),)).fetchone()


def revoke(conn, tenant_id: str, credential_id: uuid.UUID) -> bool:
    row = conn.execute("UPDATE erp_credentials SET revoked_at = now() WHERE tenant_id = %s AND credential_id = %s"
                       " AND revoked_at IS NULL RETURNING credential_id", (tenant_id, credential_id)).fetchone()
    return row is not None


def list_for(conn, tenant_id: str) -> list[dict]:
    return conn.execute("SELECT credential_id, name, created_at, revoked_at FROM erp_credentials"
                        " WHERE tenant_id = %s ORDER BY created_at", (tenant_id,)).fetchall()
