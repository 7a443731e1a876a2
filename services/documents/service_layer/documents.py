"""Handlers for the ERP's commands: publish (create or replace) and withdraw a document."""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.store import StreamAppend

from ..domain import documents
from ..domain.commands import PublishDocument, WithdrawDocument
from ..domain.documents import Document


@dataclass(frozen=True)
class Outcome:
    document: Document
    created: bool
    changed: bool
    position: int | None  # the last event's position, for read-your-writes; None when nothing changed


def _load(uow, tenant_id: str, kind: str, number: str):
    id_ = documents.document_id(tenant_id, kind, number)
    history = uow.read_stream(documents.stream_id(kind, id_))
    return id_, history, Document.from_events(kind, history)


def _append(uow, kind: str, id_, history, events, meta) -> Outcome:
    stored = uow.append([StreamAppend(documents.stream_id(kind, id_), kind, len(history), events)], meta)
    after = Document.from_events(kind, [*history, *stored])
    created = bool(events) and events[0].type.endswith(".published")
    return Outcome(after, created, bool(events), stored[-1].position if stored else None)


def publish_document(cmd: PublishDocument, uow) -> Outcome:
    """Publish a new document or replace it whole; the same body again appends nothing."""
    with uow:
        id_, history, current = _load(uow, cmd.meta.tenant_id, cmd.kind, cmd.number)
        events = documents.publish(current, cmd.kind, cmd.number, id_, cmd.document)
        return _append(uow, cmd.kind, id_, history, events, cmd.meta)


def withdraw_document(cmd: WithdrawDocument, uow) -> Outcome:
    """Withdraw a document: nobody sees it any more. Withdrawing twice changes nothing."""
    with uow:
        id_, history, current = _load(uow, cmd.meta.tenant_id, cmd.kind, cmd.number)
        events = documents.withdraw(current, cmd.kind, cmd.number, cmd.reason)
        return _append(uow, cmd.kind, id_, history, events, cmd.meta)
