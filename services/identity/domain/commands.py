"""Commands: what staff or the accounting system ask the identity service to do."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from eventkit.envelope import Metadata


@dataclass(frozen=True)
class CreateCustomer:
    meta: Metadata
    code: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class ImportCustomer:
    """Create the customer, or update the fields that changed; matched by accounting code."""

    meta: Metadata
    code: str
    fields: dict[str, Any]


@dataclass(frozen=True)
class UpdateCustomer:
    meta: Metadata
    code: str
    changes: dict[str, Any]
    expected_version: int | None = None


@dataclass(frozen=True)
class ArchiveCustomer:
    meta: Metadata
    code: str
    reason: str | None = None
    expected_version: int | None = None


@dataclass(frozen=True)
class ChangeSettings:
    """Set some of a tenant's settings; the ones not named keep their values."""

    meta: Metadata
    changes: dict[str, Any]
    expected_version: int | None = None


@dataclass(frozen=True)
class AddContact:
    meta: Metadata
    code: str  # the company's customer code
    fields: dict[str, Any]


@dataclass(frozen=True)
class UpdateContact:
    meta: Metadata
    code: str
    contact_id: str
    changes: dict[str, Any]
    expected_version: int | None = None


@dataclass(frozen=True)
class RemoveContact:
    meta: Metadata
    code: str
    contact_id: str
    expected_version: int | None = None
