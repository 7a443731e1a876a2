"""A tenant's invitation settings: username administrators, how long invitations last, the company name."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable

from eventkit.envelope import NewEvent, StoredEvent

ADMINISTRATORS_CHANGED = "portico.invitations.settings.username_administrators_changed"
SETTINGS_CHANGED = "portico.invitations.settings.changed"
DEFAULT_VALIDITY_DAYS = 14
CHANGEABLE = ("invitation_validity_days", "company_name")


def stream_id(tenant_id: str) -> str:
    return f"settings-{tenant_id}"


@dataclass(frozen=True)
class InvitationSettings:
    tenant_id: str
    username_administrators: tuple[str, ...] = ()
    invitation_validity_days: int = DEFAULT_VALIDITY_DAYS
    company_name: str | None = None  # until set, invited customers see the tenant id
    version: int = 0

    @classmethod
    def from_events(cls, tenant_id: str, events: Iterable[StoredEvent]) -> "InvitationSettings":
        settings = cls(tenant_id)
        for event in events:
            if event.type == ADMINISTRATORS_CHANGED:
                settings = replace(settings, username_administrators=tuple(event.data["emails"]))
            elif event.type == SETTINGS_CHANGED:
                settings = replace(settings, **event.data["changes"])
            settings = replace(settings, version=event.stream_version)
        return settings

    @property
    def inviter_name(self) -> str:
        return self.company_name or self.tenant_id

    def as_dict(self) -> dict[str, Any]:
        return {"username_administrators": list(self.username_administrators),
                "invitation_validity_days": self.invitation_validity_days, "company_name": self.company_name,
                "version": self.version}


def set_username_administrators(settings: InvitationSettings, emails: list[str]) -> list[NewEvent]:
    """The whole new list (up to three, duplicates dropped, order kept); none if it is unchanged."""
    unique = tuple(dict.fromkeys(e.strip().lower() for e in emails))
    if unique == settings.username_administrators:
        return []
    return [NewEvent(ADMINISTRATORS_CHANGED, 1, {"emails": list(unique)})]


def change(settings: InvitationSettings, requested: dict[str, Any]) -> list[NewEvent]:
    """One event naming only the settings whose values really change."""
    changed = {k: v for k, v in requested.items() if k in CHANGEABLE and getattr(settings, k) != v}
    return [NewEvent(SETTINGS_CHANGED, 1, {"changes": changed})] if changed else []
