"""Handlers for a tenant's invitation settings: username administrators, validity, company name."""
from __future__ import annotations

from eventkit.store import StreamAppend

from ..domain import settings as invitation_settings
from ..domain.caller import in_house_only
from ..domain.commands import ChangeSettings, SetUsernameAdministrators
from ..domain.settings import InvitationSettings, stream_id


def load(uow, tenant_id: str) -> InvitationSettings:
    return InvitationSettings.from_events(tenant_id, uow.read_stream(stream_id(tenant_id)))


def get_settings(tenant_id: str, uow) -> InvitationSettings:
    with uow:
        return load(uow, tenant_id)


def _decide(uow, tenant_id: str, meta, decide) -> InvitationSettings:
    sid = stream_id(tenant_id)
    with uow:
        history = uow.read_stream(sid)
        current = InvitationSettings.from_events(tenant_id, history)
        stored = uow.append([StreamAppend(sid, "settings", current.version, decide(current))], meta)
    return InvitationSettings.from_events(tenant_id, history + stored)


def set_username_administrators(cmd: SetUsernameAdministrators, uow) -> InvitationSettings:
    """Seed 004: up to three addresses; until one is set, no invitation goes out."""
    in_house_only(cmd.by)
    return _decide(uow, cmd.meta.tenant_id, cmd.meta,
                   lambda current: invitation_settings.set_username_administrators(current, cmd.emails))


def change_settings(cmd: ChangeSettings, uow) -> InvitationSettings:
    in_house_only(cmd.by)
    return _decide(uow, cmd.meta.tenant_id, cmd.meta, lambda current: invitation_settings.change(current, cmd.changes))
