"""Who is asking, as the documents service's projection of identity's events knows them."""
from __future__ import annotations

import uuid

from eventkit.projection_tables import active_table

from ..adapters.projections.users import PROJECTION
from ..domain.visibility import Reader

_COLUMNS = ("user_type, username, kind, customer_id, receivable_account, areas, own_orders_only, approved,"
            " disabled, deleted, staff_roles, sales_rep")


def load_reader(conn, tenant_id: str, user_id: str) -> Reader | None:
    """The user behind a verified token, or None when the projection does not know it (yet)."""
    try:
        user_id = str(uuid.UUID(str(user_id)))
    except ValueError:  # a subject that is no UUID names nobody we know
        return None
    row = conn.execute(f"SELECT {_COLUMNS} FROM {active_table(conn, PROJECTION)}"
                       " WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id)).fetchone()
    return reader_from_row(tenant_id, user_id, row) if row else None


def reader_from_row(tenant_id: str, user_id: str, row: dict) -> Reader:
    return Reader(
        tenant_id=tenant_id, user_id=str(user_id), user_type=row["user_type"], kind=row["kind"],
        receivable_account=row["receivable_account"], areas=frozenset(row["areas"]),
        own_orders_only=row["own_orders_only"], approved=row["approved"], disabled=row["disabled"],
        deleted=row["deleted"], username=row["username"],
        customer_id=str(row["customer_id"]) if row["customer_id"] else None,
        staff_roles=frozenset(row["staff_roles"]), sales_rep=row.get("sales_rep"))
