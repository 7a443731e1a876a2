"""Portal users over HTTP against the real broker and database (seeds 000, 002, 004)."""
from __future__ import annotations

import jwt

from .users_helpers import (PASSWORD, add_customer, bearer, create_user, events_of, link_token, log_in)


def test_a_created_user_sets_its_password_through_the_sealed_link_once_and_logs_in(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    staff = staff_headers(tenant, role="in-house")
    add_customer(identity, tenant, staff)
    created = create_user(identity, tenant, staff, send_welcome_email=True, own_orders_only=True)
    assert created.status_code == 201, created.json
    user = created.json
    assert (user["status"], user["password_set"], user["areas"]) == ("active", False, ["orders", "quotes"])
    assert user["receivable_account"] == "1200-ACME" and user["own_orders_only"] is True

    events = events_of(infra, topic_prefix, tenant, f"user-{user['user_id']}", {"user.created"})
    assert [e["type"] for e in events] == ["user.created", "user.role_granted", "user.role_granted"]
    assert [e["data"]["role"] for e in events[1:]] == ["portal.quotes", "portal.orders"]
    created_event = events[0]
    assert created_event["data"]["welcome_email_requested"] is True
    assert created_event["data"]["password_setup"] == "link" and created_event["actor"] == "staff-1"
    token = link_token(created_event)
    assert token not in str(created_event)

    assert log_in(identity, tenant).status_code == 401  # no password yet
    url = f"/v1/tenants/{tenant}/auth/set-password"
    weak = identity.post(url, json={"token": token, "password": "john.smith1234"})
    assert weak.status_code == 400 and weak.json["code"] == "password.rejected"
    assert identity.post(url, json={"token": token, "password": PASSWORD}).status_code == 204
    again = identity.post(url, json={"token": token, "password": PASSWORD + "!"})
    assert again.status_code == 400 and again.json["code"] == "password.link_invalid"

    login = log_in(identity, tenant, "JOHN.SMITH")
    assert login.status_code == 200, login.json
    assert login.json["token_type"] == "Bearer" and login.headers["Cache-Control"] == "no-store"
    events_of(infra, topic_prefix, tenant, f"user-{user['user_id']}", {"user.password_set"})


def test_an_issued_token_verifies_with_the_published_jwks_alone(identity, staff_headers, tenant):
    staff = staff_headers(tenant)
    add_customer(identity, tenant, staff)
    create_user(identity, tenant, staff, initial_password="Initial pass 2026")
    changed = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": PASSWORD})
    assert changed.status_code == 200, changed.json

    jwks = identity.get("/.well-known/jwks.json").json
    header = jwt.get_unverified_header(changed.json["access_token"])
    key = jwt.PyJWKSet.from_dict(jwks)[header["kid"]]
    claims = jwt.decode(changed.json["access_token"], key.key, algorithms=["EdDSA"], audience="portico",
                        issuer="urn:portico:identity")
    assert header["typ"] == "at+jwt" and "d" not in jwks["keys"][0]
    assert claims["tenant"] == tenant and claims["preferred_username"] == "john.smith"
    assert claims["user_type"] == "portal" and claims["kind"] == "management"
    assert claims["roles"] == ["portal.orders", "portal.quotes"]
    assert claims["receivable_account"] == "1200-ACME" and claims["customer_code"] == "ACME01"


def test_an_initial_password_must_be_changed_at_first_login_and_is_in_no_event(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    staff = staff_headers(tenant)
    add_customer(identity, tenant, staff)
    user = create_user(identity, tenant, staff, initial_password="Initial pass 2026").json
    first = log_in(identity, tenant, password="Initial pass 2026")
    assert first.status_code == 403 and first.json["code"] == "auth.password_change_required"
    changed = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": PASSWORD})
    assert changed.status_code == 200
    assert log_in(identity, tenant).status_code == 200

    events = events_of(infra, topic_prefix, tenant, f"user-{user['user_id']}", {"user.password_changed"})
    assert events[0]["data"]["password_setup"] == "initial_password"
    assert events[0]["data"]["set_password_token"] is None
    assert events[-1]["data"]["forced"] is True
    assert not any(secret in str(e) for e in events for secret in ("Initial pass 2026", PASSWORD, "argon2"))


def test_a_management_and_staff_pair_and_unique_usernames_whatever_the_case(identity, staff_headers, tenant):
    staff = staff_headers(tenant)
    add_customer(identity, tenant, staff)
    pair = create_user(identity, tenant, staff, with_staff_user=True)
    assert pair.status_code == 201
    assert (pair.json["kind"], pair.json["staff_user"]["kind"]) == ("management", "staff")
    assert pair.json["staff_user"]["username"] == "john.smithS"

    taken = create_user(identity, tenant, staff, username="John.Smith")
    assert taken.status_code == 409 and taken.json["code"] == "user.username_taken"
    assert "'John.Smith2'" in taken.json["detail"] and taken.json["errors"][0]["field"] == "username"
    count = identity.get(f"/v1/tenants/{tenant}/customers/ACME01/usernames", headers=staff).json
    assert count["count"] == 2


def test_setting_areas_grants_and_revokes_one_role_event_per_change(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    staff = staff_headers(tenant)
    add_customer(identity, tenant, staff)
    user = create_user(identity, tenant, staff, areas=["Quotes"]).json
    url = f"/v1/tenants/{tenant}/users/{user['user_id']}/access"
    changed = identity.patch(url, json={"areas": ["Invoices", "A/R Statements"], "own_orders_only": True},
                             headers=staff)
    assert changed.status_code == 200 and changed.json["areas"] == ["ar_statements", "invoices"]
    everything = identity.patch(url, json={"areas": ["ALL"]}, headers=staff)
    assert everything.json["areas"] == ["ar_statements", "invoices", "orders", "quotes", "shipments"]
    unknown = identity.patch(url, json={"areas": ["Costs"]}, headers=staff)
    assert unknown.status_code == 400 and unknown.json["errors"][0]["field"] == "areas"

    events = events_of(infra, topic_prefix, tenant, f"user-{user['user_id']}", {"user.own_orders_only_changed"})
    changes = [(e["type"], e["data"].get("area")) for e in events[1:]]
    assert changes == [("user.role_granted", "quotes"), ("user.role_granted", "invoices"),
                       ("user.role_granted", "ar_statements"), ("user.role_revoked", "quotes"),
                       ("user.own_orders_only_changed", None), ("user.role_granted", "quotes"),
                       ("user.role_granted", "orders"), ("user.role_granted", "shipments")]
