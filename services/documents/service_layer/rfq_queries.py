"""Reading requests for quote: one page of those the reader may see (domain/rfq.readable_requests), newest
first, each with the customer's name as identity's events last gave it."""
from __future__ import annotations

from eventkit.projection_tables import active_table

from ..adapters.projections import customers, rfqs
from ..domain.rfq import RequestScope, readable_requests
from ..domain.visibility import Reader


def where(scope: RequestScope) -> tuple[str, dict]:
    clauses, params = ["r.tenant_id = %(tenant_id)s"], {"tenant_id": scope.tenant_id}
    if scope.customer_id is not None:
        clauses.append("r.customer_id = %(customer_id)s::uuid")
        params["customer_id"] = scope.customer_id
    if scope.sales_rep is not None:
        clauses.append("c.sales_rep = %(sales_rep)s")
        params["sales_rep"] = scope.sales_rep
    return " AND ".join(clauses), params


def _item(row: dict) -> dict:
    return {"request_id": str(row["request_id"]), "requested_at": row["requested_at"].isoformat(),
            "customer": {"customer_id": str(row["customer_id"]), "code": row["code"], "name": row["name"],
                         "receivable_account": row["receivable_account"]},
            "requested_by": {"user_id": str(row["requested_by"]), "username": row["requested_by_name"]},
            "lines": row["lines"], "notes": row["notes"]}


def list_requests(conn, reader: Reader | None, page: int, page_size: int) -> dict:
    """One page of the requests for quote the reader may see, and how many there are in all."""
    scope = readable_requests(reader)
    if scope is None:
        return {"items": [], "page": page, "page_size": page_size, "total": 0}
    clause, params = where(scope)
    source = (f"{active_table(conn, rfqs.PROJECTION)} r LEFT JOIN {active_table(conn, customers.PROJECTION)} c"
              " ON c.tenant_id = r.tenant_id AND c.customer_id = r.customer_id")
    total = conn.execute(f"SELECT count(*) AS n FROM {source} WHERE {clause}", params).fetchone()["n"]
    rows = conn.execute(f"SELECT r.*, c.code, c.name FROM {source} WHERE {clause}"
                        " ORDER BY r.requested_at DESC, r.request_id LIMIT %(limit)s OFFSET %(offset)s",
                        {**params, "limit": page_size, "offset": (page - 1) * page_size}).fetchall()
    return {"items": [_item(row) for row in rows], "page": page, "page_size": page_size, "total": total}
