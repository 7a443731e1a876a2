"""Read the facts projections (whichever copy of each serves) for a batch of mailings.

One reader per batch: it asks the registry for each table once, and for each tenant's facts once.
"""
from __future__ import annotations

from eventkit.projection_tables import active_table

from ..domain.facts import CustomerFacts, TenantFacts, UserFacts
from .projections import customers, tenants, users


class FactReader:
    def __init__(self, conn):
        self.conn = conn
        self.users, self.customers, self.tenants = (active_table(conn, p.PROJECTION) for p in (users, customers, tenants))
        self._tenants: dict[str, TenantFacts] = {}

    def user(self, tenant_id: str, user_id) -> UserFacts | None:
        if user_id is None:
            return None
        row = self.conn.execute(f"SELECT username, user_type, customer_id, emails FROM {self.users}"
                                " WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id)).fetchone()
        if row is None:
            return None
        customer_id = str(row["customer_id"]) if row["customer_id"] else None
        return UserFacts(row["username"], row["user_type"], customer_id, tuple(row["emails"]))

    def customer(self, tenant_id: str, customer_id) -> CustomerFacts | None:
        if customer_id is None:
            return None
        row = self.conn.execute(f"SELECT code, name, emails FROM {self.customers}"
                                " WHERE tenant_id = %s AND customer_id = %s", (tenant_id, customer_id)).fetchone()
        return CustomerFacts(row["code"], row["name"], tuple(row["emails"])) if row else None

    def tenant(self, tenant_id: str) -> TenantFacts:
        if tenant_id not in self._tenants:
            row = self.conn.execute(f"SELECT username_administrators, company_name FROM {self.tenants}"
                                    " WHERE tenant_id = %s", (tenant_id,)).fetchone()
            self._tenants[tenant_id] = TenantFacts(tuple(row["username_administrators"]), row["company_name"]) \
                if row else TenantFacts()
        return self._tenants[tenant_id]
