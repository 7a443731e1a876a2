"""The OpenID Connect provider's tables: registered clients, authorization codes, which client a session is."""
from __future__ import annotations

from datetime import datetime

import psycopg

from .user_tables import digest


class Clients:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def put(self, tenant_id: str, c: dict, secret: str | None) -> None:
        self.conn.execute(
            "INSERT INTO oidc_clients (tenant_id, client_id, name, client_type, secret_hash, redirect_uris,"
            " post_logout_redirect_uris, sign_up_uri) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
            (tenant_id, c["client_id"], c["name"], c["client_type"], digest(secret) if secret else None,
             c["redirect_uris"], c["post_logout_redirect_uris"], c.get("sign_up_uri")))

    def change(self, tenant_id: str, client_id: str, c: dict) -> None:
        self.conn.execute(
            "UPDATE oidc_clients SET name = %s, redirect_uris = %s, post_logout_redirect_uris = %s, sign_up_uri = %s"
            " WHERE tenant_id = %s AND client_id = %s AND NOT removed",
            (c["name"], c["redirect_uris"], c["post_logout_redirect_uris"], c.get("sign_up_uri"), tenant_id,
             client_id))

    def get(self, tenant_id: str, client_id: str) -> dict | None:
        return self.conn.execute("SELECT * FROM oidc_clients WHERE tenant_id = %s AND client_id = %s AND NOT removed",
                                 (tenant_id, client_id)).fetchone()

    def exists(self, tenant_id: str, client_id: str) -> bool:
        return self.conn.execute("SELECT 1 FROM oidc_clients WHERE tenant_id = %s AND client_id = %s",
                                 (tenant_id, client_id)).fetchone() is not None

    def list(self, tenant_id: str) -> list[dict]:
        return self.conn.execute("SELECT * FROM oidc_clients WHERE tenant_id = %s AND NOT removed ORDER BY client_id",
                                 (tenant_id,)).fetchall()

    def remove(self, tenant_id: str, client_id: str) -> None:
        self.conn.execute("UPDATE oidc_clients SET removed = true WHERE tenant_id = %s AND client_id = %s",
                          (tenant_id, client_id))


class Codes:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, code: str, row: dict) -> None:
        self.conn.execute(
            "INSERT INTO oidc_codes (code_hash, tenant_id, client_id, user_id, redirect_uri, scope, nonce,"
            " code_challenge, code_challenge_method, auth_time, amr, expires_at) VALUES (%(code_hash)s, %(tenant_id)s,"
            " %(client_id)s, %(user_id)s, %(redirect_uri)s, %(scope)s, %(nonce)s, %(code_challenge)s,"
            " %(code_challenge_method)s, %(auth_time)s, %(amr)s, %(expires_at)s)", {**row, "code_hash": digest(code)})

    def take(self, tenant_id: str, code: str, client_id: str, now: datetime) -> dict | None:
        """The code's row, deleted as it is read: a code is good once."""
        return self.conn.execute(
            "DELETE FROM oidc_codes WHERE code_hash = %s AND tenant_id = %s AND client_id = %s AND expires_at > %s"
            " RETURNING *", (digest(code), tenant_id, client_id, now)).fetchone()


class Sessions:
    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, family_id, tenant_id: str, client_id: str, scope: str) -> None:
        self.conn.execute("INSERT INTO oidc_sessions (family_id, tenant_id, client_id, scope) VALUES (%s, %s, %s, %s)"
                          " ON CONFLICT (family_id) DO NOTHING", (family_id, tenant_id, client_id, scope))

    def get(self, family_id) -> dict | None:
        return self.conn.execute("SELECT * FROM oidc_sessions WHERE family_id = %s", (family_id,)).fetchone()

    def of_refresh_token(self, tenant_id: str, token: str) -> dict | None:
        """The session a refresh token continues, if a registered client's; the token is not spent."""
        return self.conn.execute(
            "SELECT s.* FROM refresh_tokens r JOIN oidc_sessions s ON s.family_id = r.family_id"
            " WHERE r.token_hash = %s AND r.tenant_id = %s", (digest(token), tenant_id)).fetchone()
