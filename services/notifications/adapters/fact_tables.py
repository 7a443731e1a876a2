"""Read the facts projections (whichever copy of each serves) for a batch of mailings.

One reader per batch: it asks the registry for its three tables in one statement, for each tenant's facts
once, and for the batch's users and customers in one query each (preload).
"""
from __future__ import annotations

from eventkit.projection_tables import active_tables

from ..domain.facts import CustomerFacts, TenantFacts, UserFacts
from .projections import customers, tenants, users


class FactReader:
    def __init__(self, conn):
        self.conn = conn
        self.users, self.customers, self.tenants = active_tables(conn, [p.PROJECTION for p in (users, customers, tenants)])
        self._tenants: dict[str, TenantFacts] = {}
        self._users: dict[tuple[str, str], UserFacts | None] = {}
        self._customers: dict[tuple[str, str], CustomerFacts | None] = {}

    def preload(self, mailings: list[dict]) -> None:
        """Read the users the mailings name, then their customers and the mailings' own, in two queries."""
        users = {(m["tenant_id"], str(m["user_id"])) for m in mailings if m["user_id"] is not None}
        self._users.update(dict.fromkeys(users))
        for row in self._rows(self.users, "user_id", "username, user_type, customer_id, emails", users):
            customer_id = str(row["customer_id"]) if row["customer_id"] else None
            self._users[(row["tenant_id"], str(row["user_id"]))] = UserFacts(
                row["username"], row["user_type"], customer_id, tuple(row["emails"]))
        customers = {(m["tenant_id"], str(m["customer_id"])) for m in mailings if m["customer_id"] is not None}
        customers |= {(t, u.customer_id) for (t, _), u in self._users.items() if u and u.customer_id}
        self._customers.update(dict.fromkeys(customers))
        for row in self._rows(self.customers, "customer_id", "code, name, emails", customers):
            self._customers[(row["tenant_id"], str(row["customer_id"]))] = CustomerFacts(
                row["code"], row["name"], tuple(row["emails"]))

    def _rows(self, table: str, key: str, columns: str, keys: set[tuple[str, str]]) -> list[dict]:
        if not keys:
            return []
        tenants, ids = zip(*keys)
        return self.conn.execute(f"SELECT tenant_id, {key}, {columns} FROM {table} WHERE ({key}, tenant_id) IN"
                                 " (SELECT * FROM unnest(%s::uuid[], %s::text[]))", (list(ids), list(tenants))).fetchall()

    def user(self, tenant_id: str, user_id) -> UserFacts | None:
        if user_id is None:
            return None
        if (tenant_id, str(user_id)) not in self._users:
            self.preload([{"tenant_id": tenant_id, "user_id": user_id, "customer_id": None}])
        return self._users[(tenant_id, str(user_id))]

    def customer(self, tenant_id: str, customer_id) -> CustomerFacts | None:
        if customer_id is None:
            return None
        if (tenant_id, str(customer_id)) not in self._customers:
            self.preload([{"tenant_id": tenant_id, "user_id": None, "customer_id": customer_id}])
        return self._customers[(tenant_id, str(customer_id))]

    def tenant(self, tenant_id: str) -> TenantFacts:
        if tenant_id not in self._tenants:
            row = self.conn.execute(f"SELECT username_administrators, company_name FROM {self.tenants}"
                                    " WHERE tenant_id = %s", (tenant_id,)).fetchone()
            self._tenants[tenant_id] = TenantFacts(tuple(row["username_administrators"]), row["company_name"]) \
                if row else TenantFacts()
        return self._tenants[tenant_id]
