"""Staff users over HTTP: a system administrator creates them and sets their roles; they log in alike."""
from __future__ import annotations

from .users_helpers import PASSWORD, add_customer, bearer, create_user, events_of, link_token, log_in


def test_a_system_administrator_creates_a_sales_rep_who_sets_a_password_and_logs_in_with_staff_claims(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    url = f"/v1/tenants/{tenant}/staff-users"
    body = {"username": "rita.rep", "name": "Rita Rep", "emails": "rita@distributor.example",
            "roles": ["sales-rep"], "sales_rep": "rep-7"}
    refused = identity.post(url, json=body, headers=staff_headers(tenant, role="in-house"))
    assert refused.status_code == 403 and refused.json["code"] == "auth.system_administrator_only"
    no_code = identity.post(url, json={**body, "sales_rep": None}, headers=staff_headers(tenant))
    assert no_code.status_code == 409 and no_code.json["code"] == "user.state_conflict"

    created = identity.post(url, json=body, headers=staff_headers(tenant))
    assert created.status_code == 201, created.json
    assert created.json["roles"] == ["sales-rep"]
    [event] = events_of(infra, topic_prefix, tenant, f"user-{created.json['user_id']}", {"staff_user.created"})
    assert identity.post(f"/v1/tenants/{tenant}/auth/set-password",
                         json={"token": link_token(event), "password": PASSWORD}).status_code == 204

    login = log_in(identity, tenant, "rita.rep")
    me = identity.get(f"/v1/tenants/{tenant}/auth/me", headers=bearer(login)).json
    assert (me["user_type"], me["staff_roles"], me["sales_rep"]) == ("staff", ["sales-rep"], "rep-7")

    changed = identity.put(f"{url}/{created.json['user_id']}/roles", json={"roles": ["in-house"]},
                           headers=staff_headers(tenant))
    assert changed.status_code == 200 and changed.json["roles"] == ["in-house"] and changed.json["sales_rep"] is None
    stale = identity.post(f"/v1/tenants/{tenant}/auth/refresh", json={"refresh_token": login.json["refresh_token"]})
    assert stale.status_code == 401  # new roles, new login


def test_imports_and_contact_changes_are_in_house_business(identity, staff_headers, tenant):
    rep = staff_headers(tenant, role="sales-rep", username="rep-7")
    upload = identity.post(f"/v1/tenants/{tenant}/customer-imports", data=b"code,name\n", headers=rep,
                           content_type="text/csv")
    assert upload.status_code == 403 and upload.json["code"] == "auth.in_house_only"
    contact = identity.post(f"/v1/tenants/{tenant}/customers/ACME01/contacts", json={}, headers=rep)
    assert contact.status_code == 403 and contact.json["code"] == "auth.in_house_only"


def test_staff_get_firstname_lastname_suggested_and_numbered_when_taken(identity, staff_headers, tenant):
    staff = staff_headers(tenant)
    url = f"/v1/tenants/{tenant}/users/suggested-username"
    assert identity.get(url, query_string={"first_name": "John", "last_name": "Smith"}, headers=staff).json == {
        "username": "john.smith"}
    add_customer(identity, tenant, staff)
    create_user(identity, tenant, staff)
    assert identity.get(url, query_string={"first_name": "John", "last_name": "Smith"},
                        headers=staff).json["username"] == "john.smith2"
