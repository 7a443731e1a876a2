"""Registered OpenID Connect clients: the portal frontends of a tenant, and the rules for registering one."""
from __future__ import annotations

from eventkit.envelope import NewEvent

from .errors import DomainError

REGISTERED = "portico.identity.oidc_client.registered"
REMOVED = "portico.identity.oidc_client.removed"
CHANGED = "portico.identity.oidc_client.changed"


class ClientExists(DomainError):
    code, status, title = "oidc_client.exists", 409, "This client is already registered"

    def __init__(self, client_id: str):
        super().__init__(f"A client named {client_id!r} is already registered here: choose another client id.")


class ClientNotFound(DomainError):
    code, status, title = "oidc_client.not_found", 404, "No such client"

    def __init__(self, client_id: str):
        super().__init__(f"No client {client_id!r} is registered here.")


def stream_id(tenant_id: str, client_id: str) -> str:
    return f"oidc-client-{tenant_id}-{client_id}"


def registered(client: dict, by: str) -> list[NewEvent]:
    return [NewEvent(REGISTERED, 2, {**client, "registered_by": by})]


def changed(client_id: str, client: dict, by: str) -> list[NewEvent]:
    return [NewEvent(CHANGED, 1, {"client_id": client_id, **client, "changed_by": by})]


def removed(client_id: str, by: str) -> list[NewEvent]:
    return [NewEvent(REMOVED, 1, {"client_id": client_id, "removed_by": by})]
