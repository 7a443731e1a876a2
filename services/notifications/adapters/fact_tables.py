"""Read the facts projections (whichever copy of each serves) for one mailing."""
from __future__ import annotations

from eventkit.projection_tables import active_table

from ..domain.facts import CustomerFacts, TenantFacts, UserFacts
from .projections import customers, tenants, users


def user(conn, tenant_id: str, user_id) -> UserFacts | None:
    if user_id is None:
        return None
    row = conn.execute(f"SELECT username, user_type, customer_id, emails FROM {active_table(conn, users.PROJECTION)}"
                       " WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id)).fetchone()
    if row is None:
        return None
    customer_id = str(row["customer_id"]) if row["customer_id"] else None
    return UserFacts(row["username"], row["user_type"], customer_id, tuple(row["emails"]))


def customer(conn, tenant_id: str, customer_id) -> CustomerFacts | None:
    if customer_id is None:
        return None
    row = conn.execute(f"SELECT code, name, emails FROM {active_table(conn, customers.PROJECTION)}"
                       " WHERE tenant_id = %s AND customer_id = %s", (tenant_id, customer_id)).fetchone()
    return CustomerFacts(row["code"], row["name"], tuple(row["emails"])) if row else None


def tenant(conn, tenant_id: str) -> TenantFacts:
    row = conn.execute(f"SELECT username_administrators, company_name FROM {active_table(conn, tenants.PROJECTION)}"
                       " WHERE tenant_id = %s", (tenant_id,)).fetchone()
    return TenantFacts(tuple(row["username_administrators"]), row["company_name"]) if row else TenantFacts()
