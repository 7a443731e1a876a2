"""Commands: what staff, the batch worker and invited customers ask of the invitations service."""
from __future__ import annotations

from dataclasses import dataclass, field

from eventkit.envelope import Metadata

from .caller import Caller


@dataclass(frozen=True)
class SetUsernameAdministrators:
    meta: Metadata
    by: Caller
    emails: list[str]


@dataclass(frozen=True)
class ChangeSettings:
    meta: Metadata
    by: Caller
    changes: dict


@dataclass(frozen=True)
class CandidateSelection:
    """Either customer ids, or a filter the server resolves ("select all filtered customers")."""

    customer_ids: list[str] | None = None
    customer_type: str | None = None
    sales_rep: str | None = None
    price_list: str | None = None
    search: str | None = None


@dataclass(frozen=True)
class InviteCustomers:
    meta: Metadata
    by: Caller
    selection: CandidateSelection
    addresses: dict[str, list[str]] = field(default_factory=dict)  # customer id -> this invitation's addresses


@dataclass(frozen=True)
class OpenInvitation:
    meta: Metadata
    token: str


@dataclass(frozen=True)
class ResendInvitation:
    meta: Metadata
    by: Caller
    invitation_id: str
    emails: list[str] | None = None


@dataclass(frozen=True)
class RevokeInvitation:
    meta: Metadata
    by: Caller
    invitation_id: str
    reason: str | None = None
