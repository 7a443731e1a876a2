"""The second-factor tables (second_factors.sql) behind small repositories in the unit of work's transaction."""
from __future__ import annotations

from datetime import datetime

import psycopg

from .user_tables import digest


class TotpCredentials:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def get(self, tenant_id: str, user_id) -> dict | None:
        """The user's TOTP row, locked: two codes sent at once take turns, so one step counts once."""
        return self.conn.execute("SELECT secret_sealed, confirmed_at, last_step FROM totp_credentials"
                                 " WHERE tenant_id = %s AND user_id = %s FOR UPDATE", (tenant_id, user_id)).fetchone()

    def start(self, tenant_id: str, user_id, secret_sealed: bytes) -> None:
        """A new, unconfirmed secret; starting again replaces the one not confirmed yet."""
        self.conn.execute(
            "INSERT INTO totp_credentials (tenant_id, user_id, secret_sealed) VALUES (%s, %s, %s)"
            " ON CONFLICT (tenant_id, user_id) DO UPDATE SET secret_sealed = EXCLUDED.secret_sealed,"
            " confirmed_at = NULL, last_step = NULL", (tenant_id, user_id, secret_sealed))

    def used(self, tenant_id: str, user_id, step: int, now: datetime) -> None:
        self.conn.execute("UPDATE totp_credentials SET last_step = %s, confirmed_at = coalesce(confirmed_at, %s)"
                          " WHERE tenant_id = %s AND user_id = %s", (step, now, tenant_id, user_id))

    def remove(self, tenant_id: str, user_id) -> None:
        self.conn.execute("DELETE FROM totp_credentials WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id))


class RecoveryCodes:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def replace(self, tenant_id: str, user_id, codes: list[str]) -> None:
        self.remove(tenant_id, user_id)
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO recovery_codes (tenant_id, user_id, code_hash) VALUES (%s, %s, %s)",
                            [(tenant_id, user_id, digest(code)) for code in codes])

    def use(self, tenant_id: str, user_id, code: str, now: datetime) -> int | None:
        """Spend a code once; how many are left, or None if it is not one of the user's unused codes."""
        spent = self.conn.execute(
            "UPDATE recovery_codes SET used_at = %s WHERE tenant_id = %s AND user_id = %s AND code_hash = %s"
            " AND used_at IS NULL", (now, tenant_id, user_id, digest(code))).rowcount
        return self.left(tenant_id, user_id) if spent else None

    def left(self, tenant_id: str, user_id) -> int:
        return self.conn.execute("SELECT count(*) AS n FROM recovery_codes WHERE tenant_id = %s AND user_id = %s"
                                 " AND used_at IS NULL", (tenant_id, user_id)).fetchone()["n"]

    def remove(self, tenant_id: str, user_id) -> None:
        self.conn.execute("DELETE FROM recovery_codes WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id))


class Passkeys:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, tenant_id: str, user_id, credential_id: bytes, public_key: bytes, sign_count: int) -> None:
        self.conn.execute("INSERT INTO passkeys (credential_id, tenant_id, user_id, public_key, sign_count)"
                          " VALUES (%s, %s, %s, %s, %s)", (credential_id, tenant_id, user_id, public_key, sign_count))

    def of_user(self, tenant_id: str, user_id) -> list[dict]:
        return self.conn.execute("SELECT credential_id, public_key, sign_count, created_at, last_used_at FROM passkeys"
                                 " WHERE tenant_id = %s AND user_id = %s ORDER BY created_at",
                                 (tenant_id, user_id)).fetchall()

    def get(self, tenant_id: str, user_id, credential_id: bytes) -> dict | None:
        return self.conn.execute("SELECT credential_id, public_key, sign_count FROM passkeys WHERE credential_id = %s"
                                 " AND tenant_id = %s AND user_id = %s FOR UPDATE",
                                 (credential_id, tenant_id, user_id)).fetchone()

    def used(self, credential_id: bytes, sign_count: int, now: datetime) -> None:
        self.conn.execute("UPDATE passkeys SET sign_count = %s, last_used_at = %s WHERE credential_id = %s",
                          (sign_count, now, credential_id))

    def remove(self, tenant_id: str, user_id) -> None:
        self.conn.execute("DELETE FROM passkeys WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id))


class PendingLogins:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, token: str, tenant_id: str, user_id, stage: str, expires_at: datetime) -> None:
        self.conn.execute("INSERT INTO pending_logins (token_hash, tenant_id, user_id, stage, expires_at)"
                          " VALUES (%s, %s, %s, %s, %s)", (digest(token), tenant_id, user_id, stage, expires_at))

    def get(self, tenant_id: str, token: str, now: datetime) -> dict | None:
        """The pending login, locked, if it is of this tenant and not expired."""
        return self.conn.execute(
            "SELECT user_id, stage, challenge FROM pending_logins WHERE token_hash = %s AND tenant_id = %s"
            " AND expires_at > %s FOR UPDATE", (digest(token), tenant_id, now)).fetchone()

    def update(self, token: str, stage: str | None = None, challenge: bytes | None = None) -> None:
        self.conn.execute("UPDATE pending_logins SET stage = coalesce(%s, stage), challenge = %s"
                          " WHERE token_hash = %s", (stage, challenge, digest(token)))

    def remove(self, token: str, now: datetime) -> None:
        """This one is done; expired ones go too, so the table holds only logins under way."""
        self.conn.execute("DELETE FROM pending_logins WHERE token_hash = %s OR expires_at <= %s", (digest(token), now))
