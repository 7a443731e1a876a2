"""The user tables (users.sql) behind small repositories that run inside the unit of work's transaction."""
from __future__ import annotations

import hashlib
import uuid
from datetime import datetime

import psycopg

from ..domain.lockout import Failures


def digest(token: str) -> bytes:
    """SHA-256 is right for a 256-bit random token: there is nothing to brute-force, unlike a password."""
    return hashlib.sha256(token.encode()).digest()


class Usernames:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def claim(self, tenant_id: str, user_id, username: str, key: str, user_type: str, kind: str | None,
              customer_id, status: str, person_name: str | None = None, emails=()) -> bool:
        """Record a username; False if an undeleted user of the tenant already has its key.

        A concurrent claim of the same key waits here for the other transaction, then sees its row.
        """
        row = self.conn.execute(
            "INSERT INTO usernames (tenant_id, user_id, username, username_key, user_type, kind, customer_id, status,"
            " person_name, emails) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
            " ON CONFLICT (tenant_id, username_key) WHERE status <> 'deleted' DO NOTHING RETURNING user_id",
            (tenant_id, user_id, username, key, user_type, kind, customer_id, status, person_name,
             list(emails))).fetchone()
        return row is not None

    def taken(self, tenant_id: str, key: str) -> bool:
        return self.find(tenant_id, key) is not None

    def find(self, tenant_id: str, key: str) -> uuid.UUID | None:
        row = self.conn.execute("SELECT user_id FROM usernames WHERE tenant_id = %s AND username_key = %s"
                                " AND status <> 'deleted'", (tenant_id, key)).fetchone()
        return row["user_id"] if row else None

    def set_status(self, tenant_id: str, user_id, status: str) -> None:
        self.conn.execute("UPDATE usernames SET status = %s WHERE tenant_id = %s AND user_id = %s",
                          (status, tenant_id, user_id))

    def lock_staff(self, tenant_id: str) -> list[uuid.UUID]:
        """The tenant's undeleted staff users, their rows locked until the transaction ends."""
        rows = self.conn.execute("SELECT user_id FROM usernames WHERE tenant_id = %s AND user_type = 'staff'"
                                 " AND status <> 'deleted' ORDER BY user_id FOR UPDATE", (tenant_id,)).fetchall()
        return [r["user_id"] for r in rows]

    def of_customer(self, tenant_id: str, customer_id, statuses: tuple[str, ...]) -> list[dict]:
        return self.conn.execute(
            "SELECT user_id, username, kind, status FROM usernames WHERE tenant_id = %s AND customer_id = %s"
            " AND status = ANY(%s) ORDER BY username_key", (tenant_id, customer_id, list(statuses))).fetchall()

    def ever_of_customer(self, tenant_id: str, customer_id) -> list:
        """Every user the customer ever had, deleted ones too: its history includes theirs."""
        return [r["user_id"] for r in self.conn.execute(
            "SELECT user_id FROM usernames WHERE tenant_id = %s AND customer_id = %s", (tenant_id, customer_id))]

    def search(self, tenant_id: str, customers_table: str, f, statuses_billed: tuple[str, ...]) -> dict:
        """Portal usernames matching a UserSearch, with the customer's name and billing count (seed 004)."""
        where, params = ["u.tenant_id = %(tenant_id)s", "u.user_type = 'portal'"], {"tenant_id": tenant_id}
        if f.status:
            where.append("u.status = %(status)s")
            params["status"] = f.status
        else:
            where.append("u.status <> 'deleted'")
        if f.customer_code:
            where.append("lower(c.code) = lower(%(code)s)")
            params["code"] = f.customer_code
        if f.q:
            where.append("(u.username ILIKE %(q)s OR u.person_name ILIKE %(q)s OR array_to_string(u.emails, ' ')"
                         " ILIKE %(q)s OR c.name ILIKE %(q)s OR c.code ILIKE %(q)s)")
            params["q"] = "%" + f.q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        joined = f"usernames u LEFT JOIN {customers_table} c ON c.tenant_id = u.tenant_id AND c.customer_id = u.customer_id"
        clause = " AND ".join(where)
        total = self.conn.execute(f"SELECT count(*) AS n FROM {joined} WHERE {clause}", params).fetchone()["n"]
        rows = self.conn.execute(
            f"SELECT u.user_id, u.username, u.kind, u.status, u.person_name, u.emails, u.customer_id, u.created_at,"
            f" c.code AS customer_code, c.name AS customer_name,"
            f" (SELECT count(*) FROM usernames b WHERE b.tenant_id = u.tenant_id AND b.customer_id = u.customer_id"
            f"  AND b.status = ANY(%(billed)s)) AS customer_billed"
            f" FROM {joined} WHERE {clause} ORDER BY u.username_key LIMIT %(limit)s OFFSET %(offset)s",
            {**params, "billed": list(statuses_billed), "limit": f.page_size,
             "offset": (f.page - 1) * f.page_size}).fetchall()
        billed = self.conn.execute(
            "SELECT count(*) AS n FROM usernames WHERE tenant_id = %s AND user_type = 'portal' AND status = ANY(%s)",
            (tenant_id, list(statuses_billed))).fetchone()["n"]
        return {"items": rows, "page": f.page, "page_size": f.page_size, "total": total, "billed_total": billed}

    def listing(self, tenant_id: str, status: str | None, user_type: str | None, limit: int) -> list[dict]:
        return self.conn.execute(
            "SELECT user_id, username, user_type, kind, customer_id, status FROM usernames WHERE tenant_id = %s"
            " AND (%s::text IS NULL OR status = %s) AND (%s::text IS NULL OR user_type = %s)"
            " ORDER BY username_key LIMIT %s", (tenant_id, status, status, user_type, user_type, limit)).fetchall()


class Passwords:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def get(self, tenant_id: str, user_id) -> dict | None:
        return self.conn.execute("SELECT password_hash, must_change FROM password_credentials"
                                 " WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id)).fetchone()

    def put(self, tenant_id: str, user_id, password_hash: str, must_change: bool = False) -> None:
        self.conn.execute(
            "INSERT INTO password_credentials (tenant_id, user_id, password_hash, must_change) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (tenant_id, user_id) DO UPDATE SET password_hash = EXCLUDED.password_hash,"
            " must_change = EXCLUDED.must_change, changed_at = now()", (tenant_id, user_id, password_hash, must_change))


class LinkTokens:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, tenant_id: str, user_id, token: str, purpose: str, expires_at: datetime) -> None:
        self.conn.execute("INSERT INTO link_tokens (token_hash, tenant_id, user_id, purpose, expires_at)"
                          " VALUES (%s, %s, %s, %s, %s)", (digest(token), tenant_id, user_id, purpose, expires_at))

    def use(self, tenant_id: str, token: str, now: datetime) -> dict | None:
        """Spend a valid token once; None if unknown, used, expired or of another tenant."""
        return self.conn.execute(
            "UPDATE link_tokens SET used_at = %s WHERE token_hash = %s AND tenant_id = %s AND used_at IS NULL"
            " AND expires_at > %s RETURNING user_id, purpose", (now, digest(token), tenant_id, now)).fetchone()

    def spend_all(self, tenant_id: str, user_id, now: datetime) -> None:
        """Once a password is set, every other outstanding link of the user is void."""
        self.conn.execute("UPDATE link_tokens SET used_at = %s WHERE tenant_id = %s AND user_id = %s"
                          " AND used_at IS NULL", (now, tenant_id, user_id))


class RefreshTokens:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, tenant_id: str, user_id, token: str, family_id, expires_at: datetime) -> None:
        self.conn.execute("INSERT INTO refresh_tokens (token_hash, tenant_id, user_id, family_id, expires_at)"
                          " VALUES (%s, %s, %s, %s, %s)", (digest(token), tenant_id, user_id, family_id, expires_at))

    def spend(self, tenant_id: str, token: str, now: datetime) -> dict | None:
        """Mark a token used; return its row as it was before, so a replay (used_at set) shows."""
        row = self.conn.execute(
            "SELECT user_id, family_id, expires_at, used_at, revoked_at FROM refresh_tokens"
            " WHERE token_hash = %s AND tenant_id = %s FOR UPDATE", (digest(token), tenant_id)).fetchone()
        if row and row["used_at"] is None:
            self.conn.execute("UPDATE refresh_tokens SET used_at = %s WHERE token_hash = %s", (now, digest(token)))
        return row

    def revoke_family(self, family_id, now: datetime) -> int:
        """How many tokens it revoked: 0 when the family was already revoked (the session had ended)."""
        return self.conn.execute("UPDATE refresh_tokens SET revoked_at = %s WHERE family_id = %s"
                                 " AND revoked_at IS NULL", (now, family_id)).rowcount

    def revoke_user(self, tenant_id: str, user_id) -> None:
        self.conn.execute("UPDATE refresh_tokens SET revoked_at = now() WHERE tenant_id = %s AND user_id = %s"
                          " AND revoked_at IS NULL", (tenant_id, user_id))


class ResetRequests:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, tenant_id: str, username: str, correlation_id, traceparent: str | None) -> None:
        self.conn.execute("INSERT INTO password_reset_requests (tenant_id, username, correlation_id, traceparent)"
                          " VALUES (%s, %s, %s, %s)", (tenant_id, username, correlation_id, traceparent))

    def take(self) -> dict | None:
        """The oldest request no other worker holds, removed as the transaction commits."""
        return self.conn.execute(
            "DELETE FROM password_reset_requests WHERE request_id = (SELECT request_id FROM password_reset_requests"
            " ORDER BY request_id LIMIT 1 FOR UPDATE SKIP LOCKED)"
            " RETURNING tenant_id, username, correlation_id, traceparent").fetchone()


class LoginFailures:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def get(self, tenant_id: str, key: str) -> Failures:
        """The username's failures, its row locked until the transaction ends.

        The row is made first if there is none, so that a burst of logins for one name takes turns from
        the lock check to the count (exactly max_failures guesses): FOR UPDATE alone locks no missing row.
        """
        self.conn.execute("INSERT INTO login_failures (tenant_id, username_key, failures) VALUES (%s, %s, 0)"
                          " ON CONFLICT (tenant_id, username_key) DO NOTHING", (tenant_id, key))
        row = self.conn.execute("SELECT failures, locked_until FROM login_failures WHERE tenant_id = %s"
                                " AND username_key = %s FOR UPDATE", (tenant_id, key)).fetchone()
        return Failures(row["failures"], row["locked_until"])

    def put(self, tenant_id: str, key: str, failures: Failures) -> None:
        self.conn.execute(
            "INSERT INTO login_failures (tenant_id, username_key, failures, locked_until) VALUES (%s, %s, %s, %s)"
            " ON CONFLICT (tenant_id, username_key) DO UPDATE SET failures = EXCLUDED.failures,"
            " locked_until = EXCLUDED.locked_until", (tenant_id, key, failures.count, failures.locked_until))

    def clear(self, tenant_id: str, key: str) -> None:
        self.conn.execute("DELETE FROM login_failures WHERE tenant_id = %s AND username_key = %s", (tenant_id, key))
