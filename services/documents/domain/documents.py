"""The document aggregate: one quote, sales order, invoice, A/R statement or shipment, by its number.

Its state is its stream (`<kind>-<document_id>`), the ERP's last version of it. The ERP replaces a
document whole (PUT by number), so deciding is comparing: nothing changed, nothing to say.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable

from contracts.documents import KINDS
from eventkit.envelope import NewEvent, StoredEvent

from .errors import DocumentNotFound

# Each kind is seen through one access area (seeds 002, 003): the area is the kind's plural.
AREA_OF_KIND = {kind: f"{kind}s" for kind in KINDS}
KIND_OF_AREA = {area: kind for kind, area in AREA_OF_KIND.items()}
_NAMESPACE = uuid.UUID("0c7d0f8e-52a4-4f4e-9a53-6d2f3b1c9e41")


def document_id(tenant_id: str, kind: str, number: str) -> uuid.UUID:
    """Derived, so a retried PUT finds the same document (naturally keyed)."""
    return uuid.uuid5(_NAMESPACE, f"{tenant_id}\x1f{kind}\x1f{number}")


def stream_id(kind: str, id_: uuid.UUID | str) -> str:
    return f"{kind}-{id_}"


def event_type(kind: str, verb: str) -> str:
    return f"portico.documents.{kind}.{verb}"


@dataclass
class Document:
    kind: str
    number: str
    document_id: uuid.UUID
    content: dict[str, Any] = field(default_factory=dict)
    withdrawn: bool = False
    version: int = 0

    @classmethod
    def from_events(cls, kind: str, events: Iterable[StoredEvent]) -> "Document | None":
        document = None
        for event in events:
            if document is None:
                document = cls(kind, event.data["number"], uuid.UUID(str(event.data["document_id"])))
            verb = event.type.rsplit(".", 1)[-1]
            document.withdrawn = verb == "withdrawn"
            document.content = {} if document.withdrawn else dict(event.data["document"])
            document.version = event.stream_version
        return document

    def as_dict(self) -> dict[str, Any]:
        return {"kind": self.kind, "number": self.number, "document_id": str(self.document_id),
                "version": self.version, **self.content}


def publish(current: Document | None, kind: str, number: str, id_: uuid.UUID,
            content: dict[str, Any]) -> list[NewEvent]:
    """Published when new (or back after a withdrawal), updated with what changed, or nothing."""
    ref = {"document_id": str(id_), "number": number}
    if current is None or current.withdrawn:
        return [NewEvent(event_type(kind, "published"), 1, {**ref, "document": content})]
    changed = sorted(k for k in set(content) | set(current.content) if content.get(k) != current.content.get(k))
    if not changed:
        return []
    return [NewEvent(event_type(kind, "updated"), 1, {**ref, "document": content, "changed": changed})]


def withdraw(current: Document | None, kind: str, number: str, reason: str | None) -> list[NewEvent]:
    """Withdrawing twice changes nothing; withdrawing what was never published is a 404."""
    if current is None:
        raise DocumentNotFound(kind, number)
    if current.withdrawn:
        return []
    return [NewEvent(event_type(kind, "withdrawn"), 1, {
        "document_id": str(current.document_id), "number": number,
        "receivable_account": current.content["receivable_account"], "reason": reason})]
