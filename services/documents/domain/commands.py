"""Commands: what the ERP and portal users ask the documents service to do."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventkit.envelope import Metadata


@dataclass(frozen=True)
class PublishDocument:
    """Create or replace a document by its number (the ERP's PUT); the same body twice changes nothing."""

    meta: Metadata
    kind: str
    number: str
    document: dict[str, Any]  # normalised by the kind's schema: every field present


@dataclass(frozen=True)
class WithdrawDocument:
    meta: Metadata
    kind: str
    number: str
    reason: str | None


@dataclass(frozen=True)
class RequestQuote:
    """A portal user's request for quote (seed 003); `idempotency_key` makes a retried POST harmless."""

    meta: Metadata
    requester: Any  # visibility.Reader: the user as the documents service knows it
    lines: list[dict[str, Any]]
    notes: str | None
    idempotency_key: str | None
