"""The tenant settings aggregate: what a distributor's administrator allows in their portal."""
from __future__ import annotations

from dataclasses import dataclass, fields, replace
from typing import Any, Iterable

from eventkit.envelope import NewEvent, StoredEvent

SETTINGS_CHANGED = "portico.identity.tenant.settings_changed"


def stream_id(tenant_id: str) -> str:
    """One settings stream per tenant."""
    return f"settings-{tenant_id}"


@dataclass(frozen=True)
class TenantSettings:
    # Seed 001: personal accounts are allowed unless the distributor sells only to businesses.
    allow_personal_account_registration: bool = True
    # Seed 000: only the administrator can let salespeople create customer accounts.
    allow_sales_reps_to_create_users: bool = False
    version: int = 0

    @classmethod
    def from_events(cls, events: Iterable[StoredEvent]) -> "TenantSettings":
        settings = cls()
        for event in events:
            if event.type == SETTINGS_CHANGED:
                settings = replace(settings, **event.data["changes"], version=event.stream_version)
        return settings

    def as_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


NAMES = tuple(f.name for f in fields(TenantSettings) if f.name != "version")


def change(settings: TenantSettings, requested: dict[str, Any]) -> list[NewEvent]:
    """Decide the event for the settings whose values really change; none when nothing does."""
    changed = {k: v for k, v in requested.items() if k in NAMES and getattr(settings, k) != v}
    if not changed:
        return []
    return [NewEvent(SETTINGS_CHANGED, 1, {"changes": changed})]
