"""Queries for in-house users: the invitation history and the usernames waiting for approval."""
from __future__ import annotations

from eventkit.projection_tables import active_table

from ..adapters.projections import candidates, history, unapproved_usernames
from ..domain.caller import Caller, in_house_only

HAPPENINGS = ("sent", "opened", "resent", "revoked", "expired", "accepted", "skipped")


def _page(items: list[dict], page: int, page_size: int, total: int) -> dict:
    for item in items:
        for key, value in item.items():
            if key.endswith("_id") and value is not None:
                item[key] = str(value)
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def list_history(conn, tenant_id: str, by: Caller, happened: str | None, customer_id: str | None,
                 page: int, page_size: int) -> dict:
    """What happened to the tenant's invitations, newest first."""
    in_house_only(by)
    where, params = ["tenant_id = %(tenant_id)s"], {"tenant_id": tenant_id}
    if happened:
        where.append("happened = %(happened)s")
        params["happened"] = happened
    if customer_id:
        where.append("customer_id = %(customer_id)s")
        params["customer_id"] = customer_id
    table, clause = active_table(conn, history.PROJECTION), " AND ".join(where)
    total = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {clause}", params).fetchone()["n"]
    rows = conn.execute(
        f"SELECT happened, at, actor, invitation_id, batch_id, customer_id, customer_code, customer_name, emails,"
        f" detail FROM {table} WHERE {clause} ORDER BY at DESC, event_id LIMIT %(limit)s OFFSET %(offset)s",
        {**params, "limit": page_size, "offset": (page - 1) * page_size}).fetchall()
    return _page(rows, page, page_size, total)


def list_unapproved(conn, tenant_id: str, by: Caller, page: int, page_size: int) -> dict:
    """Pending usernames with their customer and, if they came from one, their invitation (seed 004)."""
    in_house_only(by)
    users = active_table(conn, unapproved_usernames.PROJECTION)
    customers = active_table(conn, candidates.PROJECTION)
    invitations = active_table(conn, history.PROJECTION)
    total = conn.execute(f"SELECT count(*) AS n FROM {users} WHERE tenant_id = %s", (tenant_id,)).fetchone()["n"]
    rows = conn.execute(
        f"SELECT u.user_id, u.username, u.first_name, u.last_name, u.emails, u.business_name, u.source,"
        f" u.registered_at, u.customer_id, u.customer_code, c.name AS customer_name, c.sales_rep,"
        f" u.invitation_id, i.at AS sent_at, i.actor AS invited_by, i.emails AS invitation_emails"
        f" FROM {users} u LEFT JOIN {customers} c ON c.tenant_id = u.tenant_id AND c.customer_id = u.customer_id"
        f" LEFT JOIN {invitations} i ON i.tenant_id = u.tenant_id AND i.invitation_id = u.invitation_id"
        f" AND i.happened = 'sent' WHERE u.tenant_id = %s ORDER BY u.registered_at LIMIT %s OFFSET %s",
        (tenant_id, page_size, (page - 1) * page_size)).fetchall()
    return _page([_pending(r) for r in rows], page, page_size, total)


def _pending(r: dict) -> dict:
    customer = {"customer_id": str(r["customer_id"]), "code": r["customer_code"], "name": r["customer_name"],
                "sales_rep": r["sales_rep"]}
    invitation = None if r["invitation_id"] is None else {
        "invitation_id": str(r["invitation_id"]), "sent_at": r["sent_at"], "invited_by": r["invited_by"],
        "emails": r["invitation_emails"]}
    return {"user_id": r["user_id"], "username": r["username"], "first_name": r["first_name"],
            "last_name": r["last_name"], "emails": r["emails"], "business_name": r["business_name"],
            "source": r["source"], "registered_at": r["registered_at"], "customer": customer,
            "invitation": invitation}
