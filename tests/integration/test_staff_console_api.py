"""What the staff console needs of identity: the tenant's portal usernames searched with billing counts,
a customer's history with its users' events, and the filters' choices from the tenant's own values."""
from __future__ import annotations

from ..conftest import eventually
from .users_helpers import PASSWORD, add_customer, create_user


def found(identity, tenant, headers, **query):
    response = identity.get(f"/v1/tenants/{tenant}/portal-users", query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_portal_usernames_are_searched_by_username_name_email_and_customer_with_billing_counts(
        identity, staff_headers, pipeline, tenant):
    admin = staff_headers(tenant)
    add_customer(identity, tenant, admin)
    add_customer(identity, tenant, admin, code="BETA02", name="Beta Bolts", sales_rep="rep-9")
    contact = identity.post(f"/v1/tenants/{tenant}/customers/ACME01/contacts", headers=admin, json={
        "first_name": "John", "last_name": "Smith", "email": "john@acme.example"}).json["contact"]
    assert create_user(identity, tenant, admin, contact_id=contact["contact_id"], with_staff_user=True).status_code == 201
    registered = identity.post(f"/v1/tenants/{tenant}/registrations", json={
        "username": "kim.lee", "password": PASSWORD, "first_name": "Kim", "last_name": "Leeward",
        "emails": "kim@beta.example", "customer_code": "BETA02"})
    assert registered.status_code == 201, registered.json

    def all_three():
        page = found(identity, tenant, admin)
        assert [(u["username"], u["customer_name"]) for u in page["items"]] == [
            ("john.smith", "Acme Tools Ltd"), ("john.smithS", "Acme Tools Ltd"), ("kim.lee", "Beta Bolts")]
        return page

    page = eventually(all_three)
    assert page["billed_total"] == 3 and page["total"] == 3
    assert [u["customer_billed"] for u in page["items"]] == [2, 2, 1]
    assert page["items"][0]["person_name"] == "John Smith"
    assert [u["username"] for u in found(identity, tenant, admin, q="leeward")["items"]] == ["kim.lee"]
    assert [u["username"] for u in found(identity, tenant, admin, q="KIM@BETA")["items"]] == ["kim.lee"]
    assert [u["username"] for u in found(identity, tenant, admin, q="beta bolts")["items"]] == ["kim.lee"]
    assert [u["username"] for u in found(identity, tenant, admin, customer_code="acme01")["items"]] == [
        "john.smith", "john.smithS"]
    assert [u["username"] for u in found(identity, tenant, admin, status="pending")["items"]] == ["kim.lee"]
    second = found(identity, tenant, admin, page=2, page_size=2)
    assert [u["username"] for u in second["items"]] == ["kim.lee"] and second["total"] == 3

    identity.post(f"/v1/tenants/{tenant}/users/{registered.json['user_id']}/delete", headers=admin)
    after = found(identity, tenant, admin)
    assert [u["username"] for u in after["items"]] == ["john.smith", "john.smithS"] and after["billed_total"] == 2
    assert [u["username"] for u in found(identity, tenant, admin, status="deleted")["items"]] == ["kim.lee"]

    bad = identity.get(f"/v1/tenants/{tenant}/portal-users", query_string={"status": "sleeping"}, headers=admin)
    assert bad.status_code == 400 and [e["field"] for e in bad.json["errors"]] == ["status"]
    rep = identity.get(f"/v1/tenants/{tenant}/portal-users", headers=staff_headers(tenant, role="sales-rep",
                                                                                   username="rep-7"))
    assert rep.status_code == 403 and rep.json["code"] == "auth.in_house_only"


def test_a_customers_history_includes_its_users_events_without_their_link_tokens(identity, staff_headers, tenant):
    admin = staff_headers(tenant, username="alice")
    add_customer(identity, tenant, admin)
    user = create_user(identity, tenant, admin).json
    identity.patch(f"/v1/tenants/{tenant}/users/{user['user_id']}/access", json={"areas": ["Invoices"]},
                   headers=admin)
    identity.post(f"/v1/tenants/{tenant}/users/{user['user_id']}/disable", headers=admin)

    history = identity.get(f"/v1/tenants/{tenant}/customers/ACME01/history", headers=admin).json
    assert [e["type"].removeprefix("portico.identity.") for e in history["items"]] == [
        "user.disabled", "user.role_revoked", "user.role_revoked", "user.role_granted", "user.role_granted",
        "user.role_granted", "user.created", "customer.created"]
    created = history["items"][-2]["data"]
    assert created["username"] == "john.smith" and "set_password_token" not in created
    assert history["total"] == 8 and {e["actor"] for e in history["items"]} == {"alice"}


def test_filters_offer_the_tenants_values_and_match_them_in_any_case(identity, staff_headers, pipeline, tenant):
    admin = staff_headers(tenant)
    add_customer(identity, tenant, admin, customer_type="Wholesale", price_list="A")
    add_customer(identity, tenant, admin, code="BETA02", name="Beta Bolts", sales_rep="rep-9", customer_type="Retail")

    def both():
        values = identity.get(f"/v1/tenants/{tenant}/customers/filter-values", headers=admin).json
        assert values == {"customer_type": ["Retail", "Wholesale"], "sales_rep": ["rep-7", "rep-9"],
                          "price_list": ["A"]}

    eventually(both)
    listed = identity.get(f"/v1/tenants/{tenant}/customers", query_string={"customer_type": "wholesale"},
                          headers=admin).json
    assert [c["code"] for c in listed["items"]] == ["ACME01"]
    priced = identity.get(f"/v1/tenants/{tenant}/customers", query_string={"price_list": "a"}, headers=admin).json
    assert [c["code"] for c in priced["items"]] == ["ACME01"]
