"""Handler for a portal user's request for quote (seed 003)."""
from __future__ import annotations

from eventkit.store import StreamAppend

from ..domain import rfq
from ..domain.commands import RequestQuote


def request_quote(cmd: RequestQuote, uow) -> tuple[str, int | None]:
    """Append QuoteRequested for the ERP; (request id, position), position None when it was a retry."""
    reader = cmd.requester
    id_ = rfq.request_id(cmd.meta.tenant_id, reader.user_id if reader else "", cmd.idempotency_key)
    with uow:
        earlier = uow.read_stream(rfq.stream_id(id_))
        events = rfq.request_quote(reader, earlier, id_, cmd.lines, cmd.notes)
        stored = uow.append([StreamAppend(rfq.stream_id(id_), "rfq", len(earlier), events)], cmd.meta)
    return str(id_), stored[-1].position if stored else None
