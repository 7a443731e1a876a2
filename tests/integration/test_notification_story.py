"""Seed 004's e-mails, each once: the invitation with its link, "registration received" to the customer and
"please review this username" to the username administrators (replies reach the customer), "you can now
log in" on approval, then notices when the password changes and when the user is disabled."""
from __future__ import annotations

from ..conftest import eventually
from ..fixtures.notifications import text_of
from .notification_helpers import PASSWORD, add_customer, all_sent, arrived, link


def _invite(invitations, tenant, headers, customer_id, address):
    def candidate():  # the invitations service invites only the customers it knows of
        listed = invitations.get(f"/v1/tenants/{tenant}/candidates", headers=headers).json["items"]
        assert [c["customer_id"] for c in listed] == [customer_id]
    eventually(candidate)
    sent = invitations.post(f"/v1/tenants/{tenant}/invitation-batches", headers=headers,
                            json={"customer_ids": [customer_id], "addresses": {customer_id: [address]}})
    assert sent.status_code == 202, sent.json


def _register(identity, tenant, token, address):
    def registered():
        response = identity.post(f"/v1/tenants/{tenant}/registrations", json={
            "invitation_token": token, "username": "ada.buyer", "password": PASSWORD, "first_name": "Ada",
            "last_name": "Buyer", "emails": address})
        assert response.status_code == 201, response.json  # until identity has projected the invitation
        return response.json
    return eventually(registered)


def test_seed_004_each_step_mails_the_right_people_once(identity, invitations, notifications, pipeline, mail,
                                                        tenant, staff_headers):
    headers = staff_headers(tenant)
    boss, it = f"boss@{tenant}.example", f"it@{tenant}.example"
    assert invitations.put(f"/v1/tenants/{tenant}/username-administrators", headers=headers,
                           json={"emails": [boss, it]}).status_code == 200
    assert invitations.patch(f"/v1/tenants/{tenant}/invitation-settings", headers=headers,
                             json={"company_name": "Acme Distribution"}).status_code == 200
    customer_id = add_customer(identity, tenant, headers, "BUY01", f"ap@{tenant}.example")
    buyer = f"buyer@{tenant}.example"
    _invite(invitations, tenant, headers, customer_id, buyer)

    [invitation] = arrived(mail, buyer, "invitation")
    assert invitation["Subject"] == "Acme Distribution invites BUY01 Ltd to its customer portal"
    assert mail.to(f"ap@{tenant}.example") == []  # the address given for this invitation, not the default
    user = _register(identity, tenant, link(invitation, "/invitations/accept"), buyer)

    [received] = arrived(mail, buyer, "registration_received")
    assert "ada.buyer" in text_of(received) and "waiting for approval" in text_of(received)
    reviews = [arrived(mail, admin, "username_review")[0] for admin in (boss, it)]
    assert {r["Reply-To"] for r in reviews} == {buyer}
    assert all("ada.buyer" in r["Subject"] and "from an invitation" in text_of(r) for r in reviews)

    approved = identity.post(f"/v1/tenants/{tenant}/users/{user['user_id']}/approve", headers=headers)
    assert approved.status_code == 200, approved.json
    [can_log_in] = arrived(mail, buyer, "approved")
    assert f"https://portal.test/{tenant}/login" in text_of(can_log_in)

    changed = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "ada.buyer", "password": PASSWORD, "new_password": "another long secret 7"})
    assert changed.status_code == 200, changed.json
    arrived(mail, buyer, "password_changed")
    identity.post(f"/v1/tenants/{tenant}/users/{user['user_id']}/disable", headers=headers,
                  json={"reason": "left the company"})
    [disabled] = arrived(mail, buyer, "disabled")
    assert "left the company" in text_of(disabled)

    all_sent(notifications, tenant, headers, 7)
    assert len(mail.to(buyer)) == 5 and len(mail.to(boss)) == len(mail.to(it)) == 1


def test_sender_settings_give_the_from_address_and_the_portal_links(identity, notifications, pipeline, mail, tenant,
                                                                   staff_headers):
    headers = staff_headers(tenant)
    saved = notifications.put(f"/v1/tenants/{tenant}/notification-settings", headers=headers, json={
        "from_address": f"portal@{tenant}.example", "from_name": "Acme Portal", "reply_to": f"help@{tenant}.example",
        "portal_url": "https://acme.example/portal/"})
    assert saved.status_code == 200, saved.json
    assert saved.json["effective"]["from"] == f"Acme Portal <portal@{tenant}.example>"
    add_customer(identity, tenant, headers, "FROM01", f"ap@{tenant}.example")
    address = f"grace@{tenant}.example"
    identity.post(f"/v1/tenants/{tenant}/users", headers=headers,
                  json={"customer_code": "FROM01", "username": "grace", "emails": address})

    [welcome] = arrived(mail, address, "welcome")
    assert (welcome["From"], welcome["Reply-To"]) == (f"Acme Portal <portal@{tenant}.example>",
                                                      f"help@{tenant}.example")
    assert "https://acme.example/portal/set-password?token=" in text_of(welcome)
    assert welcome["Message-ID"].endswith(f"@{tenant}.example>")

    reset = notifications.put(f"/v1/tenants/{tenant}/notification-settings", headers=headers, json={})
    assert reset.json["effective"]["from"] == "Portico <no-reply@portico.test>"
    bad = notifications.put(f"/v1/tenants/{tenant}/notification-settings", headers=headers,
                            json={"from_address": "not an address", "colour": "red"})
    assert bad.status_code == 400 and {e["field"] for e in bad.json["errors"]} == {"from_address", "colour"}
