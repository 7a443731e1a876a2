"""Registration from an invitation link (seed 004): check the link against identity's own projection of
the invitations service's events, and spend it in the registration's transaction.

The invitation, not the person registering, says which customer the username belongs to.
"""
from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import datetime

from eventkit.projection_tables import active_table

from ..adapters.projections.invitation_tokens import PROJECTION
from ..domain.invitation_errors import (InvitationExpired, InvitationLinkReplaced, InvitationLinkUnknown,
                                        InvitationRevoked, InvitationUsed)
from ..domain.user_commands import RegisterUser


def check_link(row: dict | None, now: datetime) -> None:
    """Refuse a link that cannot register a username, saying why."""
    if row is None:
        raise InvitationLinkUnknown()
    if row["state"] == "accepted" or row["used_at"] is not None:
        raise InvitationUsed()
    if row["state"] == "revoked":
        raise InvitationRevoked()
    if row["replaced"]:
        raise InvitationLinkReplaced()
    if row["state"] == "expired" or row["expires_at"] <= now:
        raise InvitationExpired()


def redeem(uow, cmd: RegisterUser, now: datetime) -> RegisterUser:
    """The registration with the invitation's customer and id; the link is spent when the caller commits.

    The row lock makes a second registration with the same link wait for the first, then see it used."""
    table = active_table(uow.conn, PROJECTION)
    token_hash = hashlib.sha256(cmd.invitation_token.encode()).hexdigest()
    row = uow.conn.execute(
        f"SELECT invitation_id, customer_code, expires_at, state, replaced, used_at FROM {table}"
        " WHERE tenant_id = %s AND token_hash = %s FOR UPDATE", (cmd.meta.tenant_id, token_hash)).fetchone()
    check_link(row, now)
    uow.conn.execute(f"UPDATE {table} SET used_at = %s WHERE invitation_id = %s", (now, row["invitation_id"]))
    return replace(cmd, customer_code=row["customer_code"], invitation_id=str(row["invitation_id"]),
                   invitation_token=None)
