"""Tenant sender settings: From address and name, Reply-To, portal URL; unset values come from config."""
from __future__ import annotations

from ..adapters import sender_table
from ..domain.facts import SenderSettings


def sender_for(conn, tenant_id: str, config: dict) -> SenderSettings:
    """The tenant's settings, falling back to the configured defaults value by value."""
    row = sender_table.find(conn, tenant_id) or {}
    portal = row.get("portal_url") or config["PORTAL_URL"].format(tenant=tenant_id)
    if row.get("from_address"):  # a tenant's own address never goes out under the default name
        address, name = row["from_address"], row.get("from_name")
    else:
        address, name = config["MAIL_FROM_ADDRESS"], row.get("from_name") or config["MAIL_FROM_NAME"]
    return SenderSettings(address, name, row.get("reply_to") or config["MAIL_REPLY_TO"], portal.rstrip("/"))


def show(conn, tenant_id: str, config: dict) -> dict:
    row = sender_table.find(conn, tenant_id) or {}
    effective = sender_for(conn, tenant_id, config)
    return {**{f: row.get(f) for f in sender_table.FIELDS},
            "updated_at": row.get("updated_at"), "updated_by": row.get("updated_by"),
            "effective": {"from": effective.from_header(), "from_address": effective.from_address,
                          "from_name": effective.from_name, "reply_to": effective.reply_to,
                          "portal_url": effective.portal_url}}


def save(conn, tenant_id: str, values: dict, actor: str, config: dict) -> dict:
    """Replace the tenant's settings (PUT): a value left out goes back to the default."""
    sender_table.put(conn, tenant_id, values, actor)
    return show(conn, tenant_id, config)
