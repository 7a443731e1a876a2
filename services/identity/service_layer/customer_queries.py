"""Queries: customers searched, filtered and paged (read model), one customer's history with its users'
(event store)."""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.projection_tables import active_table

from ..adapters.projections.customers import PROJECTION
from ..domain.customer import customer_id_for, stream_id
from ..domain.user import stream_id as user_stream

_LISTED = ("customer_id, code, kind, name, receivable_account, customer_type, sales_rep, price_list, emails,"
           " phone, status, contacts, version")


@dataclass(frozen=True)
class CustomerFilter:
    search: str | None = None  # part of the name or the code
    kind: str | None = None
    customer_type: str | None = None
    sales_rep: str | None = None
    price_list: str | None = None
    status: str | None = None


def _where(tenant_id: str, f: CustomerFilter) -> tuple[str, dict]:
    clauses, params = ["tenant_id = %(tenant_id)s"], {"tenant_id": tenant_id}
    for column in ("kind", "status", "sales_rep"):  # a sales rep's own code is what their permission compares
        if getattr(f, column):
            clauses.append(f"{column} = %({column})s")
            params[column] = getattr(f, column)
    for column in ("customer_type", "price_list"):  # as people type them: any case
        if getattr(f, column):
            clauses.append(f"lower({column}) = lower(%({column})s)")
            params[column] = getattr(f, column)
    if f.search:
        clauses.append("(name ILIKE %(search)s OR code ILIKE %(search)s)")
        params["search"] = "%" + f.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return " AND ".join(clauses), params


def list_customers(conn, tenant_id: str, f: CustomerFilter, page: int, page_size: int) -> dict:
    """One page of customers ordered by name and code, and how many match in all."""
    where, params = _where(tenant_id, f)
    table = active_table(conn, PROJECTION)
    total = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {where}", params).fetchone()["n"]
    rows = conn.execute(
        f"SELECT {_LISTED} FROM {table} WHERE {where} ORDER BY name, code LIMIT %(limit)s OFFSET %(offset)s",
        {**params, "limit": page_size, "offset": (page - 1) * page_size},
    ).fetchall()
    items = [{**r, "customer_id": str(r["customer_id"])} for r in rows]
    return {"items": items, "page": page, "page_size": page_size, "total": total}


# A history is read by people: their one-time links stay out of it, sealed or not.
_NOT_SHOWN = ("set_password_token", "reset_token")


def filter_values(conn, tenant_id: str) -> dict:
    """The tenant's customer types, sales reps and price lists in use: the choices of the filters."""
    table = active_table(conn, PROJECTION)
    return {column: [r["v"] for r in conn.execute(
        f"SELECT DISTINCT {column} AS v FROM {table} WHERE tenant_id = %s AND {column} IS NOT NULL ORDER BY 1",
        (tenant_id,))] for column in ("customer_type", "sales_rep", "price_list")}


def customer_history(tenant_id: str, code: str, uow, page: int, page_size: int) -> dict | None:
    """The customer's events and its users' events newest first, with who did what and when; None if there
    is no such customer."""
    customer_id = customer_id_for(tenant_id, code)
    with uow:
        events = uow.read_stream(stream_id(customer_id))
        if not events:
            return None
        for user_id in uow.usernames.ever_of_customer(tenant_id, customer_id):
            events += uow.read_stream(user_stream(user_id))
    events.sort(key=lambda e: e.position)
    newest_first = events[::-1][(page - 1) * page_size: page * page_size]
    items = [{"type": e.type, "version": e.stream_version, "occurred_at": e.occurred_at.isoformat(),
              "actor": e.actor, "correlation_id": str(e.correlation_id),
              "data": {k: v for k, v in e.data.items() if k not in _NOT_SHOWN}} for e in newest_first]
    return {"items": items, "page": page, "page_size": page_size, "total": len(events)}
