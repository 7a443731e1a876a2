"""The delivery log: what was sent to whom, for which event, when, and how it went."""
from __future__ import annotations

from dataclasses import dataclass

from ..domain.errors import DeliveryNotFound

COLUMNS = ("delivery_id, event_id, event_type, kind, recipient, sender, reply_to, subject, status, attempts,"
           " last_error, smtp_code, message_id, template, queued_at, next_attempt_at, sent_at, failed_at")


@dataclass(frozen=True)
class LogFilter:
    recipient: str | None = None
    event_id: str | None = None
    status: str | None = None
    kind: str | None = None


def _where(tenant_id: str, f: LogFilter) -> tuple[str, dict]:
    clauses, params = ["tenant_id = %(tenant_id)s"], {"tenant_id": tenant_id}
    for column in ("event_id", "status", "kind"):
        if getattr(f, column):
            clauses.append(f"{column} = %({column})s")
            params[column] = getattr(f, column)
    if f.recipient:
        clauses.append("recipient = %(recipient)s")
        params["recipient"] = f.recipient.strip().lower()
    return " AND ".join(clauses), params


def list_deliveries(conn, tenant_id: str, f: LogFilter, page: int, page_size: int) -> dict:
    """One page of the tenant's deliveries, newest first, and how many match in all."""
    where, params = _where(tenant_id, f)
    total = conn.execute(f"SELECT count(*) AS n FROM deliveries WHERE {where}", params).fetchone()["n"]
    items = conn.execute(
        f"SELECT {COLUMNS} FROM deliveries WHERE {where} ORDER BY queued_at DESC, delivery_id"
        " LIMIT %(limit)s OFFSET %(offset)s", {**params, "limit": page_size, "offset": (page - 1) * page_size},
    ).fetchall()
    return {"items": items, "page": page, "page_size": page_size, "total": total}


def one_delivery(conn, tenant_id: str, delivery_id) -> dict:
    row = conn.execute(f"SELECT {COLUMNS} FROM deliveries WHERE tenant_id = %s AND delivery_id = %s",
                       (tenant_id, delivery_id)).fetchone()
    if row is None:
        raise DeliveryNotFound(delivery_id)
    return row
