"""A login session: the refresh token family of one login, named by the `sid` claim of its access tokens.

Its stream (`session-<session_id>`) holds one event at most: the session ended (logout, or a spent refresh
token came back), after which every service refuses the session's access tokens.
"""
from __future__ import annotations

from eventkit.envelope import NewEvent

from .user import User

ENDED = "portico.identity.session.ended"


def stream_id(session_id) -> str:
    return f"session-{session_id}"


def ended(user: User, session_id, reason: str) -> list[NewEvent]:
    return [NewEvent(ENDED, 1, {**user.lifecycle_ref(), "session_id": str(session_id), "reason": reason})]
