"""Tenants' sender settings, in the `sender_settings` table."""
from __future__ import annotations

FIELDS = ("from_address", "from_name", "reply_to", "portal_url")


def find(conn, tenant_id: str) -> dict | None:
    return conn.execute(f"SELECT {', '.join(FIELDS)}, updated_at, updated_by FROM sender_settings"
                        " WHERE tenant_id = %s", (tenant_id,)).fetchone()


def put(conn, tenant_id: str, values: dict, actor: str) -> None:
    conn.execute(
        f"INSERT INTO sender_settings (tenant_id, {', '.join(FIELDS)}, updated_by)"
        " VALUES (%(tenant_id)s, %(from_address)s, %(from_name)s, %(reply_to)s, %(portal_url)s, %(actor)s)"
        " ON CONFLICT (tenant_id) DO UPDATE SET "
        + ", ".join(f"{f} = EXCLUDED.{f}" for f in FIELDS) + ", updated_at = now(), updated_by = EXCLUDED.updated_by",
        {**{f: values.get(f) for f in FIELDS}, "tenant_id": tenant_id, "actor": actor})
