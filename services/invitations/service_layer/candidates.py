"""Queries on the candidates read model: filtered, searched and paged."""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.projection_tables import active_table

from ..adapters.projections.candidates import PROJECTION


@dataclass(frozen=True)
class CandidateFilter:
    customer_type: str | None = None
    sales_rep: str | None = None
    price_list: str | None = None
    search: str | None = None


def _where(tenant_id: str, f: CandidateFilter) -> tuple[str, dict]:
    clauses = ["tenant_id = %(tenant_id)s", "usernames = 0", "NOT archived"]
    params: dict = {"tenant_id": tenant_id}
    for column in ("customer_type", "price_list"):  # as people type them: any case
        if getattr(f, column):
            clauses.append(f"lower({column}) = lower(%({column})s)")
            params[column] = getattr(f, column)
    if f.sales_rep:  # exact: a sales rep's own code is what their permission compares
        clauses.append("sales_rep = %(sales_rep)s")
        params["sales_rep"] = f.sales_rep
    if f.search:
        clauses.append("(name ILIKE %(search)s OR code ILIKE %(search)s)")
        params["search"] = "%" + f.search.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    return " AND ".join(clauses), params


def list_candidates(conn, tenant_id: str, f: CandidateFilter, page: int, page_size: int) -> dict:
    """One page of the customers that have no portal username, and how many there are in all."""
    where, params = _where(tenant_id, f)
    table = active_table(conn, PROJECTION)
    total = conn.execute(f"SELECT count(*) AS n FROM {table} WHERE {where}", params).fetchone()["n"]
    rows = conn.execute(
        f"SELECT customer_id, code, name, kind, customer_type, sales_rep, price_list, emails"
        f" FROM {table} WHERE {where} ORDER BY name, code LIMIT %(limit)s OFFSET %(offset)s",
        {**params, "limit": page_size, "offset": (page - 1) * page_size},
    ).fetchall()
    items = [{**r, "customer_id": str(r["customer_id"])} for r in rows]
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def matching_ids(conn, tenant_id: str, f: CandidateFilter) -> list[str]:
    """Every candidate the filter matches, in list order: what "select all filtered customers" selects."""
    where, params = _where(tenant_id, f)
    table = active_table(conn, PROJECTION)
    rows = conn.execute(f"SELECT customer_id FROM {table} WHERE {where} ORDER BY name, code", params).fetchall()
    return [str(r["customer_id"]) for r in rows]


def customers(conn, tenant_id: str, customer_ids: list[str]) -> dict[str, dict]:
    """The projected customers with these ids, candidates or not (usernames, archived say which)."""
    table = active_table(conn, PROJECTION)
    rows = conn.execute(
        f"SELECT customer_id, code, name, sales_rep, emails, usernames, archived FROM {table}"
        " WHERE tenant_id = %s AND customer_id = ANY(%s::uuid[])", (tenant_id, customer_ids)).fetchall()
    return {str(r["customer_id"]): r for r in rows}
