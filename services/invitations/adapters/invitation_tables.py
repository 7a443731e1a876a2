"""The links and open-invitations tables, written in the same transaction as an invitation's events."""
from __future__ import annotations

from datetime import datetime

import psycopg


class Links:
    """Every link sent, by its token's hash."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def add(self, rows: list[tuple[str, str, str]]) -> None:
        """(token_hash, tenant_id, invitation_id) rows."""
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO invitation_links (token_hash, tenant_id, invitation_id) VALUES (%s, %s, %s)",
                            rows)

    def invitation_of(self, tenant_id: str, token_hash: str) -> str | None:
        row = self.conn.execute("SELECT invitation_id FROM invitation_links WHERE tenant_id = %s AND token_hash = %s",
                                (tenant_id, token_hash)).fetchone()
        return str(row["invitation_id"]) if row else None


class OpenInvitations:
    """At most one open invitation per customer; the row goes when the invitation ends."""

    def __init__(self, conn: psycopg.Connection):
        self.conn = conn

    def of_customers(self, tenant_id: str, customer_ids: list[str]) -> dict[str, dict]:
        rows = self.conn.execute(
            "SELECT customer_id, invitation_id, expires_at FROM open_invitations"
            " WHERE tenant_id = %s AND customer_id = ANY(%s::uuid[]) FOR UPDATE", (tenant_id, customer_ids)).fetchall()
        return {str(r["customer_id"]): r for r in rows}

    def open(self, rows: list[tuple[str, str, str, datetime]]) -> None:
        """(tenant_id, customer_id, invitation_id, expires_at) rows. A customer invited by two batches at
        once fails one of them on the primary key; its worker rolls back and finds the other's invitation."""
        with self.conn.cursor() as cur:
            cur.executemany("INSERT INTO open_invitations (tenant_id, customer_id, invitation_id, expires_at)"
                            " VALUES (%s, %s, %s, %s)", rows)

    def reopen(self, tenant_id: str, customer_id: str, invitation_id: str, expires_at: datetime) -> bool:
        """Open again (a resend); False if another invitation of the customer is open meanwhile."""
        row = self.conn.execute(
            "INSERT INTO open_invitations (tenant_id, customer_id, invitation_id, expires_at)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (tenant_id, customer_id) DO UPDATE"
            " SET expires_at = EXCLUDED.expires_at WHERE open_invitations.invitation_id = EXCLUDED.invitation_id"
            " RETURNING invitation_id", (tenant_id, customer_id, invitation_id, expires_at)).fetchone()
        return row is not None

    def close(self, invitation_ids: list[str]) -> None:
        self.conn.execute("DELETE FROM open_invitations WHERE invitation_id = ANY(%s::uuid[])", (invitation_ids,))

    def due(self, now: datetime, limit: int) -> list[dict]:
        """Open invitations past their expiry, locked so that two sweepers never take the same."""
        return self.conn.execute(
            "SELECT tenant_id, invitation_id FROM open_invitations WHERE expires_at <= %s"
            " ORDER BY expires_at LIMIT %s FOR UPDATE SKIP LOCKED", (now, limit)).fetchall()
