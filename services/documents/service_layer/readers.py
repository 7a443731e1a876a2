"""Who is asking, as the documents service's projection of identity's events knows them."""
from __future__ import annotations

import uuid
from typing import Callable

from eventkit.projection_tables import active_table

from ..adapters.projections.users import PROJECTION
from ..domain.visibility import Reader

_COLUMNS = ("user_type, username, kind, customer_id, receivable_account, areas, own_orders_only, approved,"
            " disabled, deleted, staff_roles, sales_rep")


def load_reader(conn, tenant_id: str, user_id: str) -> Reader | None:
    """The user behind a verified token, or None when the projection does not know it (yet)."""
    return ask_reader(conn, tenant_id, user_id)()


def ask_reader(conn, tenant_id: str, user_id: str, table: str | None = None) -> Callable[[], Reader | None]:
    """load_reader's question sent (to the users table given, or the serving one); its answer read when the
    returned function is called, so that it can share a pipelined round trip with other questions."""
    try:
        user_id = str(uuid.UUID(str(user_id)))
    except ValueError:  # a subject that is no UUID names nobody we know
        return lambda: None
    found = conn.execute(f"SELECT {_COLUMNS} FROM {table or active_table(conn, PROJECTION)}"
                         " WHERE tenant_id = %s AND user_id = %s", (tenant_id, user_id))

    def answer() -> Reader | None:
        row = found.fetchone()
        return reader_from_row(tenant_id, user_id, row) if row else None
    return answer


def reader_from_row(tenant_id: str, user_id: str, row: dict) -> Reader:
    return Reader(
        tenant_id=tenant_id, user_id=str(user_id), user_type=row["user_type"], kind=row["kind"],
        receivable_account=row["receivable_account"], areas=frozenset(row["areas"]),
        own_orders_only=row["own_orders_only"], approved=row["approved"], disabled=row["disabled"],
        deleted=row["deleted"], username=row["username"],
        customer_id=str(row["customer_id"]) if row["customer_id"] else None,
        staff_roles=frozenset(row["staff_roles"]), sales_rep=row.get("sales_rep"))
