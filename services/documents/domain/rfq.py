"""Requests for quote (seed 003): a portal user with the Quotes area asks; the ERP answers with a quote."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from eventkit.envelope import NewEvent, StoredEvent

from .errors import DuplicateRequest, QuotesAreaRequired
from .visibility import READER_RULES, Reader

QUOTE_REQUESTED = "portico.documents.quote.requested"
STAFF_WHO_READ_ALL = frozenset({"in-house", "system-administrator"})
_NAMESPACE = uuid.UUID("9e1b7a52-3c1d-4f0e-8b2a-5d6c7e8f9a01")


def request_id(tenant_id: str, user_id: str, idempotency_key: str | None) -> uuid.UUID:
    """The same key from the same user names the same request, so a retried POST finds it."""
    if idempotency_key is None:
        return uuid.uuid4()
    return uuid.uuid5(_NAMESPACE, f"{tenant_id}\x1f{user_id}\x1f{idempotency_key}")


def stream_id(id_: uuid.UUID) -> str:
    return f"rfq-{id_}"


def may_request_quotes(reader: Reader | None) -> bool:
    """An active portal user (no reader rule refuses it) that holds the Quotes area."""
    return (reader is not None and not any(rule.refuses(reader, None) for rule in READER_RULES)
            and "quotes" in reader.areas and reader.receivable_account is not None)


def request_quote(reader: Reader | None, earlier: list[StoredEvent], id_: uuid.UUID,
                  lines: list[dict[str, Any]], notes: str | None) -> list[NewEvent]:
    """QuoteRequested; nothing when the same request was already made under this key."""
    if not may_request_quotes(reader):
        raise QuotesAreaRequired()
    data = {"request_id": str(id_), "receivable_account": reader.receivable_account,
            "customer_id": reader.customer_id,
            "requested_by": {"user_id": reader.user_id, "username": reader.username},
            "lines": lines, "notes": notes}
    if earlier:
        if earlier[0].data != data:
            raise DuplicateRequest()
        return []
    return [NewEvent(QUOTE_REQUESTED, 1, data)]


@dataclass(frozen=True)
class RequestScope:
    """Which requests for quote a reader may list: all of the tenant's, or narrowed to one customer or to
    the customers of one sales rep."""

    tenant_id: str
    customer_id: str | None = None
    sales_rep: str | None = None


def readable_requests(reader: Reader | None) -> RequestScope | None:
    """A portal user who may request quotes: its customer's; in-house staff and system administrators: all;
    a sales rep: its own customers'; anyone else (and anyone disabled or deleted): none."""
    if reader is None or reader.deleted or reader.disabled:
        return None
    if reader.user_type == "portal":
        return RequestScope(reader.tenant_id, customer_id=reader.customer_id) if may_request_quotes(reader) else None
    if reader.staff_roles & STAFF_WHO_READ_ALL:
        return RequestScope(reader.tenant_id)
    if "sales-rep" in reader.staff_roles and reader.sales_rep:
        return RequestScope(reader.tenant_id, sales_rep=reader.sales_rep)
    return None
