"""The envelope every Portico event travels in, inside a service and on Kafka."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class Metadata:
    """Who asked for a change and which request it belongs to."""

    tenant_id: str
    actor: str
    correlation_id: uuid.UUID = field(default_factory=uuid.uuid4)
    causation_id: uuid.UUID | None = None
    traceparent: str | None = None


@dataclass(frozen=True)
class NewEvent:
    """An event a handler wants appended; the store gives it a position."""

    type: str
    version: int
    data: Mapping[str, Any]
    id: uuid.UUID = field(default_factory=uuid.uuid4)
    occurred_at: datetime = field(default_factory=now)
    # Whose personal values the event holds, when its producer knows (a sealing store seals them for it).
    subject: str | None = None


@dataclass(frozen=True)
class StoredEvent:
    """An event as the store holds it: in a stream, at a global position."""

    position: int
    stream_id: str
    stream_type: str
    stream_version: int
    id: uuid.UUID
    type: str
    version: int
    tenant_id: str
    occurred_at: datetime
    actor: str
    correlation_id: uuid.UUID
    causation_id: uuid.UUID | None
    traceparent: str | None
    data: dict[str, Any]
    source: str = ""
