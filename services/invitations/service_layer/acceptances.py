"""Accept invitations that identity registered a username from (its UserRegistered, source "invitation")."""
from __future__ import annotations

import logging

from eventkit import telemetry
from eventkit.envelope import Metadata
from eventkit.projection_tables import active_table
from eventkit.store import StreamAppend

from ..adapters.projections.acceptances import PROJECTION
from ..domain import invitation as invitations
from ..domain.errors import InvitationNotFound
from .invitations import load
from .settings import load as load_settings

log = logging.getLogger(__name__)


def _accept(uow, row: dict) -> None:
    tenant_id = row["tenant_id"]
    try:
        history, invitation = load(uow, tenant_id, row["invitation_id"])
    except InvitationNotFound:
        log.warning("user %s registered from invitation %s, which this service never sent",
                    row["user_id"], row["invitation_id"])
        return
    administrators = list(load_settings(uow, tenant_id).username_administrators)
    events = invitations.accept(invitation, str(row["user_id"]), row["username"], administrators)
    uow.open_invitations.close([invitation.invitation_id])
    # The registration caused it: its event is the causation, its trace goes on (a span of its own).
    with telemetry.span("accept invitation", row["traceparent"]) as traceparent:
        uow.append([StreamAppend(invitations.stream_id(invitation.invitation_id), "invitation", len(history),
                                 events)],
                   Metadata(tenant_id, row["username"], row["correlation_id"], causation_id=row["causation_id"],
                            traceparent=traceparent))


def accept_registered(uow, limit: int = 100) -> bool:
    """Record InvitationAccepted for up to `limit` waiting registrations; False when none waited."""
    with uow:
        table = active_table(uow.conn, PROJECTION)
        rows = uow.conn.execute(
            f"SELECT tenant_id, invitation_id, user_id, username, correlation_id, causation_id, traceparent"
            f" FROM {table}"
            " WHERE handled_at IS NULL ORDER BY registered_at LIMIT %s FOR UPDATE SKIP LOCKED", (limit,)).fetchall()
        for row in rows:
            _accept(uow, row)
            uow.conn.execute(f"UPDATE {table} SET handled_at = now() WHERE tenant_id = %s AND user_id = %s",
                             (row["tenant_id"], row["user_id"]))
    return bool(rows)
