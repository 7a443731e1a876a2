"""Handlers for a tenant's settings: read them, change some of them."""
from __future__ import annotations

from eventkit.errors import ConcurrencyConflict
from eventkit.store import StreamAppend

from ..domain import settings as tenant_settings
from ..domain.commands import ChangeSettings
from ..domain.settings import TenantSettings, stream_id


def get_settings(tenant_id: str, uow) -> TenantSettings:
    """The tenant's settings; the defaults until an administrator changes one."""
    with uow:
        return TenantSettings.from_events(uow.read_stream(stream_id(tenant_id)))


def change_settings(cmd: ChangeSettings, uow) -> TenantSettings:
    """Change the named settings; with expected_version, refuse if someone changed them meanwhile."""
    sid = stream_id(cmd.meta.tenant_id)
    with uow:
        history = uow.read_stream(sid)
        current = TenantSettings.from_events(history)
        expected = current.version if cmd.expected_version is None else cmd.expected_version
        if expected != current.version:
            raise ConcurrencyConflict(sid, expected, current.version)
        events = tenant_settings.change(current, cmd.changes)
        stored = uow.append([StreamAppend(sid, "settings", expected, events)], cmd.meta)
    return TenantSettings.from_events(history + stored)
