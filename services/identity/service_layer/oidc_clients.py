"""Register, list, change and remove a tenant's OpenID Connect clients (a system administrator's business)."""
from __future__ import annotations

import secrets

from eventkit.envelope import Metadata
from eventkit.store import StreamAppend

from ..domain import oidc_clients as clients
from ..domain.principal import Principal
from . import policy


def register(meta: Metadata, by: Principal, client: dict, uow) -> str | None:
    """The client's secret, shown once (None for a public client); only its hash is kept."""
    policy.system_administrator_only(by)
    secret = secrets.token_urlsafe(32) if client["client_type"] == "confidential" else None
    with uow:
        if uow.oidc_clients.exists(meta.tenant_id, client["client_id"]):
            raise clients.ClientExists(client["client_id"])
        uow.oidc_clients.put(meta.tenant_id, client, secret)
        uow.append([StreamAppend(clients.stream_id(meta.tenant_id, client["client_id"]), "oidc_client", 0,
                                 clients.registered(client, by.username))], meta)
    return secret


def list_clients(tenant_id: str, by: Principal, uow) -> list[dict]:
    policy.system_administrator_only(by)
    with uow:
        return uow.oidc_clients.list(tenant_id)


def change(meta: Metadata, by: Principal, client_id: str, client: dict, uow) -> dict:
    """New name and addresses (redirect URIs matched exactly); the type and the secret stay."""
    policy.system_administrator_only(by)
    with uow:
        if uow.oidc_clients.get(meta.tenant_id, client_id) is None:
            raise clients.ClientNotFound(client_id)
        stream = clients.stream_id(meta.tenant_id, client_id)
        uow.oidc_clients.change(meta.tenant_id, client_id, client)
        uow.append([StreamAppend(stream, "oidc_client", len(uow.read_stream(stream)),
                                 clients.changed(client_id, client, by.username))], meta)
        return uow.oidc_clients.get(meta.tenant_id, client_id)


def remove(meta: Metadata, by: Principal, client_id: str, uow) -> None:
    """No more codes or tokens for the client: its refresh tokens are refused from now on."""
    policy.system_administrator_only(by)
    with uow:
        if uow.oidc_clients.get(meta.tenant_id, client_id) is None:
            raise clients.ClientNotFound(client_id)
        stream = clients.stream_id(meta.tenant_id, client_id)
        uow.oidc_clients.remove(meta.tenant_id, client_id)
        uow.append([StreamAppend(stream, "oidc_client", len(uow.read_stream(stream)),
                                 clients.removed(client_id, by.username))], meta)
