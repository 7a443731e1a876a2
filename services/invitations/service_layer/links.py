"""New invitation links: a random token, hashed for checking and sealed for the notifications service.

The token itself is forgotten as soon as it is sealed: only notifications can open it, to put it in
the e-mail's link, and only the customer's click brings it back.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Callable

from contracts.invitations import INVITATION_CONTEXT
from eventkit import sealed

from ..domain.invitation import Link
from ..domain.tokens import new_token, token_hash


def utcnow() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class LinkMaker:
    notifications_public_key: str
    now: Callable[[], datetime] = utcnow

    def make(self, validity_days: int) -> Link:
        token = new_token()
        return Link(token_hash(token), sealed.seal(token, self.notifications_public_key, INVITATION_CONTEXT),
                    self.now() + timedelta(days=validity_days))
