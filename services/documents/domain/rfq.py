"""Requests for quote (seed 003): a portal user with the Quotes area asks; the ERP answers with a quote."""
from __future__ import annotations

import uuid
from typing import Any

from eventkit.envelope import NewEvent, StoredEvent

from .errors import DuplicateRequest, QuotesAreaRequired
from .visibility import READER_RULES, Reader

QUOTE_REQUESTED = "portico.documents.quote.requested"
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
