"""The password rules a login page shows before anyone types are the rules identity enforces."""
from __future__ import annotations

from .users_helpers import add_customer, create_user


def test_the_password_rules_are_public_and_name_the_length_the_change_enforces(identity, staff_headers, tenant):
    rules = identity.get(f"/v1/tenants/{tenant}/auth/password-rules")
    assert rules.status_code == 200
    assert rules.json["min_length"] == 10 and any("10" in rule for rule in rules.json["rules"])
    add_customer(identity, tenant, staff_headers(tenant))
    create_user(identity, tenant, staff_headers(tenant), initial_password="Initial pass 2026")
    short = "x1y2z3w4v"[: rules.json["min_length"] - 1]
    refused = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": short})
    assert refused.status_code in (400, 422), refused.json
    assert [e["field"] for e in refused.json["errors"]] == ["new_password"]
    accepted = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": short + "extra words"})
    assert accepted.status_code == 200, accepted.json
