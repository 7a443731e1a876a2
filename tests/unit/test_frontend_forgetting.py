"""The staff console's "Forget this person": a system administrator is asked first, naming who and with a
reason field, and only the confirmed answer asks identity to forget them; nobody else sees or may use it."""
from __future__ import annotations

import time

import pytest

from frontend import api
from frontend.app import create_app

USER_ID = "6b0e6f7a-1c2d-4e3f-8a9b-0c1d2e3f4a5b"
USER = {"user_id": USER_ID, "username": "kj.buyer", "status": "active", "customer_code": "IND1", "kind": "management",
        "emails": ["kath@home.example"], "areas": ["invoices"], "own_orders_only": False, "password_set": True}
PERSON = {"customer_id": "0f9e8d7c-6b5a-4c3d-9e2f-1a0b9c8d7e6f", "code": "IND1", "name": "Grace Hopperfield",
          "kind": "individual", "emails": ["grace@home.example"], "contacts": [], "status": "active", "version": 3}
COMPANY = {**PERSON, "code": "CO1", "name": "Acme Tools Ltd", "kind": "company", "contacts": [
    {"contact_id": "c-1", "first_name": "Ada", "last_name": "Lovelacewick", "email": "ada@acme.example"}]}


@pytest.fixture
def console(monkeypatch):
    posted = []

    def get(service, path, **kw):
        return {"/users/" + USER_ID: USER, "/customers/IND1": PERSON, "/customers/CO1": COMPANY}.get(path, {})

    def post(service, path, body, **kw):
        posted.append((service, path, body))
        return {"subject": path.split("/")[2], "forgotten_at": "2026-12-01T17:00:00+00:00"}
    monkeypatch.setattr(api, "get", get)
    monkeypatch.setattr(api, "post", post)

    def as_staff(*roles):
        client = create_app({"SECRET_KEY": "unit-test-secret"}).test_client()
        with client.session_transaction() as s:
            s.update(user={"user_type": "staff", "username": "admin", "roles": list(roles)}, access_token="t",
                     refresh_token=None, expires_at=time.time() + 300, csrf="form-token")
        return client
    return as_staff, posted


def test_forgetting_a_portal_user_asks_first_naming_them_with_a_reason_then_asks_identity(console):
    as_staff, posted = console
    client = as_staff("system-administrator")
    question = client.post(f"/staff/users/{USER_ID}/forget", data={"csrf_token": "form-token"})
    page = question.get_data(as_text=True)
    assert question.status_code == 200 and posted == []
    assert "Forget kj.buyer?" in page and "kath@home.example" in page and 'name="reason"' in page
    assert "cannot be undone" in page and "/erasure" not in page and "user-" not in page

    done = client.post(f"/staff/users/{USER_ID}/forget", data={
        "csrf_token": "form-token", "confirmed": "yes", "reason": "asked to be forgotten"})
    assert done.status_code == 302
    assert posted == [("identity", f"/people/user-{USER_ID}/erasure", {"reason": "asked to be forgotten"})]


def test_an_individual_customer_and_a_contact_are_forgotten_by_their_own_subject(console):
    as_staff, posted = console
    client = as_staff("system-administrator")
    asked = client.post("/staff/customers/IND1/forget", data={"csrf_token": "form-token"}).get_data(as_text=True)
    assert "Forget Grace Hopperfield?" in asked and "grace@home.example" in asked
    for path in ("/staff/customers/IND1/forget", "/staff/customers/CO1/contacts/c-1/forget"):
        client.post(path, data={"csrf_token": "form-token", "confirmed": "yes", "reason": "left the company"})
    assert [p[1] for p in posted] == [f"/people/customer-{PERSON['customer_id']}/erasure",
                                      "/people/contact-c-1/erasure"]


def test_a_company_is_nobodys_personal_data_and_is_not_forgotten(console):
    as_staff, posted = console
    answer = as_staff("system-administrator").post("/staff/customers/CO1/forget", data={
        "csrf_token": "form-token", "confirmed": "yes", "reason": "no"})
    assert answer.status_code == 302 and posted == []


def test_only_a_system_administrator_sees_or_may_use_forget(console):
    as_staff, posted = console
    in_house = as_staff("in-house")
    assert "Forget kj.buyer" not in in_house.get(f"/staff/users/{USER_ID}").get_data(as_text=True)
    refused = in_house.post(f"/staff/users/{USER_ID}/forget", data={
        "csrf_token": "form-token", "confirmed": "yes", "reason": "asked to be forgotten"})
    assert refused.status_code == 403 and posted == []
    admin_page = as_staff("system-administrator").get(f"/staff/users/{USER_ID}").get_data(as_text=True)
    assert "Forget kj.buyer" in admin_page
