"""Who may invite whom (seed 004): administrators first, sales reps only for their own customers, staff only;
and the candidates list following usernames as they come and go."""
from __future__ import annotations

from .invitation_helpers import (add_customers, candidate_codes, finished, invite, set_administrators,
                                 wait_for_candidates)

REP_7 = {"code": "ACME01", "name": "Acme Tools Ltd", "emails": "ap@acme.example", "sales_rep": "rep-7"}
REP_9 = {"code": "BETA02", "name": "Beta Bolts", "emails": "ap@beta.example", "sales_rep": "rep-9"}


def test_no_invitation_goes_out_before_a_username_administrator_is_set(identity, invitations, staff_headers,
                                                                       pipeline, tenant):
    admin = staff_headers(tenant)
    ids = add_customers(identity, tenant, admin, REP_7)
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["ACME01"])

    refused = invite(invitations, tenant, admin, customer_ids=[ids["ACME01"]])
    assert refused.status_code == 409 and refused.json["code"] == "invitation.username_administrator_required"
    too_many = invitations.put(f"/v1/tenants/{tenant}/username-administrators", headers=admin,
                               json={"emails": [f"a{n}@northwind.example" for n in range(4)]})
    assert too_many.status_code == 400 and too_many.json["errors"][0]["field"] == "emails"
    set_administrators(invitations, tenant, admin, "it@northwind.example")
    assert invite(invitations, tenant, admin, customer_ids=[ids["ACME01"]]).status_code == 202
    cleared = set_administrators(invitations, tenant, admin)
    assert cleared["username_administrators"] == []
    assert invite(invitations, tenant, admin, customer_ids=[ids["ACME01"]]).status_code == 409


def test_a_sales_rep_invites_only_their_own_customers(identity, invitations, staff_headers, pipeline, tenant):
    admin, rep = staff_headers(tenant), staff_headers(tenant, role="sales-rep", username="rep-7")
    ids = add_customers(identity, tenant, admin, REP_7, REP_9)
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["ACME01", "BETA02"])
    set_administrators(invitations, tenant, admin, "it@northwind.example")

    assert candidate_codes(invitations, tenant, rep) == ["ACME01"]  # a rep's list is their own customers
    peek = invitations.get(f"/v1/tenants/{tenant}/candidates", query_string={"sales_rep": "rep-9"}, headers=rep)
    assert peek.status_code == 403 and peek.json["code"] == "auth.customer_of_another_sales_rep"
    foreign = invite(invitations, tenant, rep, customer_ids=[ids["ACME01"], ids["BETA02"]])
    assert foreign.status_code == 403 and foreign.json["code"] == "auth.customer_of_another_sales_rep"
    assert "BETA02" in foreign.json["detail"]
    other_filter = invite(invitations, tenant, rep, filter={"sales_rep": "rep-9"})
    assert other_filter.status_code == 403 and other_filter.json["code"] == "auth.customer_of_another_sales_rep"

    own = invite(invitations, tenant, rep, filter={})
    assert own.status_code == 202 and own.json["customers"] == 1
    assert finished(invitations, rep, own.headers["Location"])["sent"] == 1
    other_rep = staff_headers(tenant, role="sales-rep", username="rep-9")
    assert invitations.get(own.headers["Location"], headers=other_rep).json["code"] == "invitation.batch_not_found"
    settings = invitations.put(f"/v1/tenants/{tenant}/username-administrators", json={"emails": []}, headers=rep)
    assert settings.status_code == 403 and settings.json["code"] == "auth.in_house_only"


def test_only_staff_with_a_valid_token_of_the_tenant_may_invite(invitations, staff_headers, tenant):
    candidates = invitations.get(f"/v1/tenants/{tenant}/candidates")
    assert candidates.status_code == 401 and candidates.json["code"] == "auth.token_missing"
    url = f"/v1/tenants/{tenant}/invitation-batches"
    anonymous = invitations.post(url, json={"filter": {}})
    assert anonymous.status_code == 401 and anonymous.json["code"] == "auth.token_missing"
    assert "Bearer" in anonymous.headers["WWW-Authenticate"]
    forged = invitations.post(url, json={"filter": {}}, headers={"Authorization": "Bearer not.a.jwt"})
    assert forged.status_code == 401 and forged.json["code"] == "auth.token_invalid"
    elsewhere = invitations.post(url, json={"filter": {}}, headers=staff_headers("another-tenant"))
    assert elsewhere.status_code == 403 and elsewhere.json["code"] == "auth.wrong_tenant"
    both = invitations.post(url, json={"filter": {}, "customer_ids": []}, headers=staff_headers(tenant))
    assert both.status_code == 400 and both.json["code"] == "request.invalid"


def test_a_customer_leaves_the_candidates_with_its_first_username_and_returns_after_its_last(
        identity, invitations, staff_headers, pipeline, tenant):
    admin = staff_headers(tenant)
    add_customers(identity, tenant, admin, REP_7, REP_9)
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["ACME01", "BETA02"])
    users = []
    for username in ("john.smith", "jane.doe"):
        created = identity.post(f"/v1/tenants/{tenant}/users", headers=admin, json={
            "customer_code": "ACME01", "username": username, "emails": "john@acme.example", "areas": ["Quotes"]})
        assert created.status_code == 201, created.json
        users.append(created.json["user_id"])
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["BETA02"])

    identity.post(f"/v1/tenants/{tenant}/users/{users[0]}/delete", headers=admin)
    identity.post(f"/v1/tenants/{tenant}/customers", headers=admin, json={
        "code": "C3", "name": "Cobalt", "receivable_account": "AR-C3"})
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["BETA02", "C3"])
    identity.post(f"/v1/tenants/{tenant}/users/{users[1]}/delete", headers=admin)
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["ACME01", "BETA02", "C3"])
