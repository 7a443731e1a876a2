"""Helpers for the user tests: a customer, a portal user with its link token, a login."""
from __future__ import annotations

from contracts.identity_users import PASSWORD_RESET_CONTEXT, SET_PASSWORD_CONTEXT
from eventkit import sealed

from ..conftest import eventually
from ..fixtures.settings import KEYS
from .kafka_events import published

PASSWORD = "correct horse battery"
ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "sales_rep": "rep-7",
        "emails": "ap@acme.example; boss@acme.example"}


def add_customer(identity, tenant, headers, **fields):
    response = identity.post(f"/v1/tenants/{tenant}/customers", json={**ACME, **fields}, headers=headers)
    assert response.status_code == 201, response.json
    return response.json


def create_user(identity, tenant, headers, **fields):
    body = {"customer_code": "ACME01", "username": "john.smith", "emails": "john@acme.example",
            "areas": ["Quotes", "Orders"], **fields}
    return identity.post(f"/v1/tenants/{tenant}/users", json=body, headers=headers)


def events_of(infra, topic_prefix, tenant, stream=None, types=None):
    """The tenant's events on Kafka, waiting until the given types have all arrived."""
    def arrived():
        events = [e for e in published(infra, topic_prefix, tenant) if stream is None or e["stream"] == stream]
        assert set(types or ()) <= {e["type"] for e in events}, [e["type"] for e in events]
        return events
    return eventually(arrived)


def link_token(event: dict) -> str:
    """What the notifications service does: open the sealed token with its private key."""
    if "reset_token" in event["data"]:
        return sealed.open_sealed(event["data"]["reset_token"], KEYS["SEALED_PRIVATE_KEY"], PASSWORD_RESET_CONTEXT)
    return sealed.open_sealed(event["data"]["set_password_token"], KEYS["SEALED_PRIVATE_KEY"], SET_PASSWORD_CONTEXT)


def log_in(identity, tenant, username="john.smith", password=PASSWORD):
    return identity.post(f"/v1/tenants/{tenant}/auth/login", json={"username": username, "password": password})


def bearer(response) -> dict:
    return {"Authorization": f"Bearer {response.json['access_token']}"}


def active_user(identity, tenant, staff: dict) -> dict:
    """john.smith of a new customer, who chose PASSWORD at his first login: ready to log in."""
    add_customer(identity, tenant, staff)
    create_user(identity, tenant, staff, initial_password="Initial pass 2026")
    changed = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": PASSWORD})
    assert changed.status_code == 200, changed.json
    return changed.json["user"]
