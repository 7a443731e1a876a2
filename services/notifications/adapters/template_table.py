"""Tenants' own templates, in the `templates` table."""
from __future__ import annotations

from .rendering import Template


def find(conn, tenant_id: str, kind: str) -> Template | None:
    row = conn.execute("SELECT subject, text_body, html_body FROM templates WHERE tenant_id = %s AND kind = %s",
                       (tenant_id, kind)).fetchone()
    return Template(row["subject"], row["text_body"], row["html_body"]) if row else None


def overridden(conn, tenant_id: str) -> dict[str, dict]:
    """Which kinds the tenant has its own template for: kind -> {updated_at, updated_by}."""
    rows = conn.execute("SELECT kind, updated_at, updated_by FROM templates WHERE tenant_id = %s", (tenant_id,))
    return {r["kind"]: {"updated_at": r["updated_at"], "updated_by": r["updated_by"]} for r in rows}


def put(conn, tenant_id: str, kind: str, template: Template, actor: str) -> None:
    conn.execute(
        "INSERT INTO templates (tenant_id, kind, subject, text_body, html_body, updated_by)"
        " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (tenant_id, kind) DO UPDATE SET subject = EXCLUDED.subject,"
        " text_body = EXCLUDED.text_body, html_body = EXCLUDED.html_body, updated_at = now(),"
        " updated_by = EXCLUDED.updated_by",
        (tenant_id, kind, template.subject, template.text, template.html, actor))


def delete(conn, tenant_id: str, kind: str) -> bool:
    return conn.execute("DELETE FROM templates WHERE tenant_id = %s AND kind = %s RETURNING kind",
                        (tenant_id, kind)).fetchone() is not None
