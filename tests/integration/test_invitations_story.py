"""Seed 004, the whole story, over the real broker and database: administrators, a filtered batch with one
address given and one customer without any, the customer opening its link and registering in identity,
the username under "Unapproved Usernames", its approval, and the new user logging in."""
from __future__ import annotations

import hashlib

from ..conftest import eventually
from .invitation_helpers import (PASSWORD, add_customers, candidate_codes, finished, invitation_events, invite,
                                 link_token, register, refused_registration, sent_to, set_administrators,
                                 wait_for_candidates)
from .kafka_events import published


def test_seed_004_from_administrators_to_the_first_login(identity, invitations, staff_headers, pipeline, infra,
                                                         topic_prefix, tenant):
    admin = staff_headers(tenant)
    ids = add_customers(identity, tenant, admin,
                        {"code": "ACME01", "name": "Acme Tools Ltd", "emails": "ap@acme.example"},
                        {"code": "BETA02", "name": "Beta Bolts", "emails": ""},
                        {"code": "GAMMA03", "name": "Gamma Gears", "emails": "ap@gamma.example"},
                        {"code": "DELTA04", "name": "Delta Drills", "emails": "ap@delta.example",
                         "customer_type": "Retail"})
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["ACME01", "BETA02", "GAMMA03"], customer_type="Wholesale")

    # 1. Nothing goes out before a username administrator is set.
    everyone = {"filter": {"customer_type": "Wholesale"}, "addresses": {ids["GAMMA03"]: ["buyer@gamma.example"]}}
    early = invite(invitations, tenant, admin, **everyone)
    assert early.status_code == 409 and early.json["code"] == "invitation.username_administrator_required"
    assert "username-administrators" in early.json["detail"]
    set_administrators(invitations, tenant, admin, "it@northwind.example", "sales@northwind.example")
    invitations.patch(f"/v1/tenants/{tenant}/invitation-settings", json={"company_name": "Northwind Supply"},
                      headers=admin)

    # 2. Select all filtered customers, one address given for this invitation only.
    batch = invite(invitations, tenant, admin, **everyone)
    assert batch.status_code == 202, batch.json
    assert batch.json["customers"] == 3 and batch.headers["Location"].endswith(batch.json["batch_id"])
    progress = finished(invitations, admin, batch.headers["Location"])
    assert (progress["total"], progress["sent"], progress["skipped"]) == (3, 2, 1)
    skipped = invitations.get(f"{batch.headers['Location']}/skipped", headers=admin).json["items"]
    assert [(s["customer_code"], s["reason_code"]) for s in skipped] == [("BETA02", "no_email_address")]
    assert "No e-mail address" in skipped[0]["reason"]

    events = invitation_events(infra, topic_prefix, tenant, "invitation.sent", "batch.completed")
    acme, gamma = sent_to(events, ids["ACME01"]), sent_to(events, ids["GAMMA03"])
    assert (acme["data"]["emails"], acme["data"]["address_source"]) == (["ap@acme.example"], "customer_default")
    assert (gamma["data"]["emails"], gamma["data"]["address_source"]) == (["buyer@gamma.example"], "given")
    assert acme["data"]["company_name"] == "Northwind Supply" and acme["data"]["invited_by"]["username"] == "staff-1"
    assert [e["data"]["customer_code"] for e in events if e["type"] == "batch.customer_skipped"] == ["BETA02"]
    assert identity.get(f"/v1/tenants/{tenant}/customers/GAMMA03", headers=admin).json["emails"] == [
        "ap@gamma.example"]

    # 3. The link: only its hash and its sealed form ever travelled.
    token = link_token(acme)
    assert acme["data"]["token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert all(token not in str(e["data"]) for e in events)
    opened = invitations.post(f"/v1/tenants/{tenant}/invitation-links/open", json={"token": token})
    assert opened.status_code == 200, opened.json
    assert (opened.json["company_name"], opened.json["customer_name"], opened.json["invited_by"]) == (
        "Northwind Supply", "Acme Tools Ltd", "staff-1")

    # 4. The customer registers in identity, with the link's token; the password never reaches invitations.
    registered = eventually(lambda: _registered(register(identity, tenant, token)))
    assert registered["status"] == "pending" and "customer_id" not in registered  # the answer names no customer
    assert identity.get(f"/v1/tenants/{tenant}/users/{registered['user_id']}",
                        headers=admin).json["customer_id"] == ids["ACME01"]
    assert refused_registration(identity, tenant, token, "invitation.already_used", username="someone.else")
    eventually(lambda: candidate_codes(invitations, tenant, staff_headers(tenant), customer_type="Wholesale") == ["BETA02", "GAMMA03"]
               or _fail())

    # 5. Unapproved usernames, with the customer and the invitation.
    pending = eventually(lambda: _one_pending(invitations, tenant, admin))
    assert (pending["username"], pending["customer"]["code"], pending["source"]) == ("acme.buyer", "ACME01",
                                                                                     "invitation")
    assert pending["invitation"]["invitation_id"] == acme["data"]["invitation_id"]
    accepted = sent_to(invitation_events(infra, topic_prefix, tenant, "invitation.accepted"), ids["ACME01"],
                       "invitation.accepted")
    assert accepted["data"]["username_administrators"] == ["it@northwind.example", "sales@northwind.example"]
    assert accepted["data"]["user_id"] == registered["user_id"]
    # it answers identity's UserRegistered: that event is its cause, and its trace goes on
    [registration] = [e for e in published(infra, topic_prefix, tenant) if e["type"] == "user.registered"]
    assert accepted["causation"] == registration["id"]
    assert accepted["traceparent"].split("-")[1] == registration["traceparent"].split("-")[1]
    assert PASSWORD not in str(published(infra, topic_prefix, tenant, topic="portico.invitations"))

    # 6. Approved in identity, the username leaves the list and logs in.
    approved = identity.post(f"/v1/tenants/{tenant}/users/{registered['user_id']}/approve", headers=admin)
    assert approved.status_code == 200 and approved.json["status"] == "active"
    eventually(lambda: _pending(invitations, tenant, admin) == [] or _fail())
    login = identity.post(f"/v1/tenants/{tenant}/auth/login", json={"username": "acme.buyer", "password": PASSWORD})
    assert login.status_code == 200, login.json
    assert login.json["user"]["customer_id"] == ids["ACME01"]

    history = invitations.get(f"/v1/tenants/{tenant}/invitation-history", headers=admin).json["items"]
    assert sorted(h["happened"] for h in history) == ["accepted", "opened", "sent", "sent", "skipped"]
    opened_again = invitations.post(f"/v1/tenants/{tenant}/invitation-links/open", json={"token": token})
    assert opened_again.status_code == 409 and opened_again.json["code"] == "invitation.already_used"


def _registered(response) -> dict:
    assert response.status_code == 201, response.json
    return response.json


def _pending(invitations, tenant, headers) -> list[dict]:
    response = invitations.get(f"/v1/tenants/{tenant}/unapproved-usernames", headers=headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


def _one_pending(invitations, tenant, headers) -> dict:
    items = _pending(invitations, tenant, headers)
    assert len(items) == 1 and items[0]["invitation"] is not None, items
    return items[0]


def _fail():
    raise AssertionError
