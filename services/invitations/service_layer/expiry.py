"""The expiry sweep: invitations nobody accepted in time end with InvitationExpired.

A link past its expiry is refused anyway (here and in identity); the event is for the history, for
the customer becoming invitable again, and for anyone else who follows invitations.
"""
from __future__ import annotations

from datetime import datetime
from itertools import groupby

from eventkit.envelope import Metadata
from eventkit.store import StreamAppend

from ..domain import invitation as invitations
from ..domain.invitation import Invitation, stream_id


def expire_due(uow, now: datetime, limit: int = 500) -> int:
    """Expire up to `limit` invitations past their expiry; how many there were."""
    with uow:
        due = uow.open_invitations.due(now, limit)
        streams = uow.read_streams([stream_id(r["invitation_id"]) for r in due])
        for tenant_id, rows in groupby(sorted(due, key=lambda r: r["tenant_id"]), key=lambda r: r["tenant_id"]):
            appends = []
            for row in rows:
                history = streams.get(stream_id(row["invitation_id"]), [])
                appends.append(StreamAppend(stream_id(row["invitation_id"]), "invitation", len(history),
                                            invitations.expire(Invitation.from_events(history), now)))
            uow.append(appends, Metadata(tenant_id, "invitations-expiry"))
        uow.open_invitations.close([str(r["invitation_id"]) for r in due])
    return len(due)
