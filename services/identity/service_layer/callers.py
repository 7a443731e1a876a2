"""Who is calling, as identity knows them now, not as their access token said minutes ago (issue 14).

A token proves who asks; what they may do is decided from the user's stream: a user disabled, deleted
or demoted a second ago acts with their current state, and a session ended by logout is refused at
once, not when its access tokens expire. A subject the store has never had cannot come from a login
(identity signs tokens only for its users): it was minted with the signing key outside one (the
operators' tools), so its claims are all there is to go by.
"""
from __future__ import annotations

from ..domain.principal import Principal
from ..domain.session import stream_id as session_stream
from ..domain.user_errors import TokenRevoked, UserNotFound
from .users import load_user

ENDED = "This login has ended (logged out, or the account was disabled or deleted): log in again."


def current_principal(tenant_id: str, claims: dict, uow) -> Principal:
    """The principal behind verified claims; TokenRevoked if their session ended or the user is not active."""
    with uow:
        if claims.get("sid") and uow.read_stream(session_stream(claims["sid"])):
            raise TokenRevoked(ENDED)
        try:
            _, user = load_user(uow, tenant_id, claims["sub"])
        except UserNotFound:
            return Principal.from_claims(claims)
    if user.status != "active":
        raise TokenRevoked(ENDED)
    return Principal.from_user(tenant_id, user)
