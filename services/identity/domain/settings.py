"""The tenant settings aggregate: what a distributor's staff set for their portal."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any, Iterable

from eventkit.envelope import NewEvent, StoredEvent

SETTINGS_CHANGED = "portico.identity.tenant.settings_changed"
SETTINGS_CHANGED_VERSION = 3


def stream_id(tenant_id: str) -> str:
    """One settings stream per tenant."""
    return f"settings-{tenant_id}"


@dataclass(frozen=True)
class TenantSettings:
    # Seed 001: personal accounts are allowed unless the distributor sells only to businesses.
    allow_personal_account_registration: bool = True
    # Seed 000: only the administrator can let salespeople create customer accounts.
    allow_sales_reps_to_create_users: bool = False
    # Seed 003: the bulletin board message on every portal user's home page; None until set or once cleared.
    bulletin: str | None = None
    bulletin_updated_at: datetime | None = None
    # Issue 19: who must log in with a second factor (domain/second_factors.py's POLICIES).
    second_factor_policy: str = "optional"
    version: int = 0

    @classmethod
    def from_events(cls, events: Iterable[StoredEvent]) -> "TenantSettings":
        # The store hands back each event as written: v1 changes are v2 changes without a bulletin, v2
        # changes v3 changes without a second-factor policy (the catalogue's upcasters say the same), so one
        # fold reads them all.
        settings = cls()
        for event in events:
            if event.type == SETTINGS_CHANGED:
                changes = event.data["changes"]
                settings = replace(settings, **changes, version=event.stream_version)
                if "bulletin" in changes:
                    settings = replace(settings, bulletin_updated_at=event.occurred_at)
        return settings

    def as_dict(self) -> dict[str, Any]:
        return {**{name: getattr(self, name) for name in NAMES}, "version": self.version}


NAMES = ("allow_personal_account_registration", "allow_sales_reps_to_create_users", "bulletin",
         "second_factor_policy")
SYSTEM_ADMINISTRATOR_SETTINGS = frozenset(NAMES) - {"bulletin"}


def change(settings: TenantSettings, requested: dict[str, Any]) -> list[NewEvent]:
    """Decide the event for the settings whose values really change; none when nothing does."""
    changed = {k: v for k, v in requested.items() if k in NAMES and getattr(settings, k) != v}
    if not changed:
        return []
    return [NewEvent(SETTINGS_CHANGED, SETTINGS_CHANGED_VERSION, {"changes": changed})]
