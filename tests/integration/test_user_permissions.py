"""Who may do what (seeds 000, 004), each refusal a 403 whose code names the rule; registration and approval."""
from __future__ import annotations

from .users_helpers import PASSWORD, add_customer, create_user, events_of, log_in


def test_a_sales_rep_creates_users_only_for_own_customers_and_only_when_allowed(identity, staff_headers, tenant):
    admin, rep = staff_headers(tenant), staff_headers(tenant, role="sales-rep", username="rep-7")
    add_customer(identity, tenant, admin)
    add_customer(identity, tenant, admin, code="BETA02", name="Beta Bolts", sales_rep="rep-9")

    off = create_user(identity, tenant, rep)
    assert off.status_code == 403 and off.json["code"] == "auth.sales_reps_may_not_create_users"
    in_house = staff_headers(tenant, role="in-house", username="ian")
    refused = identity.put(f"/v1/tenants/{tenant}/settings", json={"allow_sales_reps_to_create_users": True},
                           headers=in_house)
    assert refused.status_code == 403 and refused.json["code"] == "auth.system_administrator_only"
    identity.put(f"/v1/tenants/{tenant}/settings", json={"allow_sales_reps_to_create_users": True}, headers=admin)

    others = create_user(identity, tenant, rep, customer_code="BETA02", username="bea.bolt")
    assert others.status_code == 403 and others.json["code"] == "auth.customer_of_another_sales_rep"
    own = create_user(identity, tenant, rep)
    assert own.status_code == 201, own.json
    assert create_user(identity, tenant, in_house, customer_code="BETA02", username="bea.bolt").status_code == 201


def test_a_sales_rep_reads_own_customers_only_and_changes_none(identity, staff_headers, tenant):
    admin, rep = staff_headers(tenant), staff_headers(tenant, role="sales-rep", username="rep-7")
    add_customer(identity, tenant, admin)
    add_customer(identity, tenant, admin, code="BETA02", name="Beta Bolts", sales_rep="rep-9")
    base = f"/v1/tenants/{tenant}/customers"
    assert identity.get(f"{base}/ACME01", headers=rep).status_code == 200
    other = identity.get(f"{base}/BETA02", headers=rep)
    assert other.status_code == 403 and other.json["code"] == "auth.customer_of_another_sales_rep"
    assert identity.get(base, headers=rep).json["code"] == "auth.sales_rep_filter_required"
    assert identity.get(base, query_string={"sales_rep": "rep-7"}, headers=rep).status_code == 200
    change = identity.patch(f"{base}/ACME01", json={"name": "Mine now"}, headers=rep)
    assert change.status_code == 403 and change.json["code"] == "auth.in_house_only"
    count = identity.get(f"{base}/BETA02/usernames", headers=rep)
    assert count.json["code"] == "auth.customer_of_another_sales_rep"


def test_portal_users_may_not_use_staff_endpoints(identity, staff_headers, tenant):
    admin = staff_headers(tenant)
    add_customer(identity, tenant, admin)
    create_user(identity, tenant, admin, initial_password="Initial pass 2026")
    portal = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": PASSWORD})
    headers = {"Authorization": f"Bearer {portal.json['access_token']}"}
    for response in (identity.get(f"/v1/tenants/{tenant}/customers/ACME01", headers=headers),
                     create_user(identity, tenant, headers, username="jane.doe")):
        assert response.status_code == 403 and response.json["code"] == "auth.staff_only"
    me = identity.get(f"/v1/tenants/{tenant}/users/{portal.json['user']['user_id']}", headers=headers)
    assert me.status_code == 200 and me.json["username"] == "john.smith"


def test_a_registered_user_waits_for_approval_and_counts_for_billing(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    admin = staff_headers(tenant)
    add_customer(identity, tenant, admin)
    registered = identity.post(f"/v1/tenants/{tenant}/registrations", json={
        "username": "kim.lee", "password": PASSWORD, "first_name": "Kim", "last_name": "Lee",
        "emails": "kim@acme.example", "customer_code": "ACME01"})
    assert registered.status_code == 201 and registered.json["status"] == "pending"
    pending = log_in(identity, tenant, "kim.lee")
    assert pending.status_code == 403 and "approval" in pending.json["detail"]

    waiting = identity.get(f"/v1/tenants/{tenant}/users", query_string={"status": "pending"}, headers=admin).json
    assert [u["username"] for u in waiting["items"]] == ["kim.lee"]
    create_user(identity, tenant, admin)
    count = identity.get(f"/v1/tenants/{tenant}/customers/ACME01/usernames", headers=admin).json["count"]
    assert count == 2

    user_url = f"/v1/tenants/{tenant}/users/{registered.json['user_id']}"
    rep = staff_headers(tenant, role="sales-rep", username="rep-7")
    assert identity.post(f"{user_url}/approve", headers=rep).json["code"] == "auth.in_house_only"
    assert identity.post(f"{user_url}/approve", headers=admin).json["status"] == "active"
    assert log_in(identity, tenant, "kim.lee").status_code == 200
    identity.post(f"{user_url}/delete", headers=admin)
    assert identity.get(f"/v1/tenants/{tenant}/customers/ACME01/usernames", headers=admin).json["count"] == 1

    events = events_of(infra, topic_prefix, tenant, f"user-{registered.json['user_id']}", {"user.deleted"})
    assert [e["type"] for e in events] == ["user.registered", "user.approved", "user.deleted"]
    # Registration from an invitation's link: tests/integration/test_invitations_story.py.
    assert events[0]["data"]["source"] == "self" and events[0]["data"]["invitation_id"] is None


def test_self_registration_makes_a_customer_and_needs_a_business_name_when_personal_accounts_are_off(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    body = {"username": "sam.solo", "password": PASSWORD, "first_name": "Sam", "last_name": "Solo",
            "emails": "sam@solo.example"}
    url = f"/v1/tenants/{tenant}/registrations"
    identity.put(f"/v1/tenants/{tenant}/settings", json={"allow_personal_account_registration": False},
                 headers=staff_headers(tenant))
    refused = identity.post(url, json=body)
    assert refused.status_code == 400 and refused.json["code"] == "registration.business_name_required"
    assert refused.json["errors"][0]["field"] == "business_name"

    company = identity.post(url, json={**body, "business_name": "Solo Supplies"})
    assert company.status_code == 201, company.json
    events = events_of(infra, topic_prefix, tenant, types={"customer.created", "user.registered"})
    [customer] = [e for e in events if e["type"] == "customer.created"]
    assert (customer["data"]["kind"], customer["data"]["name"]) == ("company", "Solo Supplies")
    [registered] = [e for e in events if e["type"] == "user.registered"]
    assert registered["data"]["customer_id"] == customer["data"]["customer_id"]
    assert "customer_id" not in company.json  # the answer names no customer (issue 14)
