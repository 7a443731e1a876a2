"""E-mails for identity's events, through the real broker, database and mail sink: each arrives once,
at every address, with a link whose token the identity service accepts; a redelivered event sends nothing."""
from __future__ import annotations

from ..conftest import eventually
from ..fixtures.notifications import text_of
from .notification_helpers import (PASSWORD, add_customer, all_sent, arrived, consumed_up_to, deliveries, link,
                                   publish_again, records_of)


def test_a_welcome_email_reaches_every_address_once_with_a_working_set_password_link(
        identity, notifications, notifications_app, pipeline, mail, tenant, staff_headers):
    headers = staff_headers(tenant)
    add_customer(identity, tenant, headers, "LOVE01", f"ap@{tenant}.example")
    work, home = f"ada@{tenant}.example", f"ada.home@{tenant}.example"
    created = identity.post(f"/v1/tenants/{tenant}/users", headers=headers, json={
        "customer_code": "LOVE01", "username": "ada.lovelace", "emails": f"{work}; {home}", "areas": ["Orders"]})
    assert created.status_code == 201, created.json

    [at_work], [at_home] = arrived(mail, work, "welcome"), arrived(mail, home, "welcome")
    assert at_work["From"] == "Portico <no-reply@portico.test>" and at_work["To"] == work
    assert "ada.lovelace" in at_work["Subject"] and "LOVE01 Ltd" in text_of(at_work)
    assert at_work["Message-ID"] != at_home["Message-ID"]
    token = link(at_work, "/set-password")
    assert link(at_home, "/set-password") == token
    assert "password" not in {k.lower() for k in at_work.keys()}
    answer = identity.post(f"/v1/tenants/{tenant}/auth/set-password", json={"token": token, "password": PASSWORD})
    assert answer.status_code == 204, answer.json

    log = all_sent(notifications, tenant, headers, 2, kind="welcome")
    assert {d["recipient"] for d in log} == {work, home}
    assert {d["message_id"] for d in log} == {at_work["Message-ID"], at_home["Message-ID"]}
    assert len(mail.to(work)) == len(mail.to(home)) == 1  # setting the first password is no change worth a notice
    with notifications_app.extensions["notifications"].pool.connection() as conn:
        kept = conn.execute("SELECT m.facts::text || d.context::text AS stored FROM mailings_v1 m"
                            " JOIN deliveries d USING (event_id, kind) WHERE m.tenant_id = %s", (tenant,)).fetchall()
    assert len(kept) == 2 and not any(token in k["stored"] or '"links"' in k["stored"] for k in kept)


def test_no_welcome_email_when_staff_unticked_the_option(identity, notifications, pipeline, mail, tenant,
                                                         staff_headers):
    headers = staff_headers(tenant)
    add_customer(identity, tenant, headers, "QUIET1", f"ap@{tenant}.example")
    for username, welcome in (("quiet.one", False), ("loud.one", True)):
        identity.post(f"/v1/tenants/{tenant}/users", headers=headers, json={
            "customer_code": "QUIET1", "username": username, "emails": f"{username}@{tenant}.example",
            "send_welcome_email": welcome, "initial_password": "an initial secret 42"})
    [loud] = arrived(mail, f"loud.one@{tenant}.example", "welcome")
    assert "set-password" not in text_of(loud) and "an initial secret 42" not in loud.as_string()
    assert mail.to(f"quiet.one@{tenant}.example") == []


def test_the_same_event_delivered_twice_sends_each_email_once(
        identity, notifications, notifications_app, pipeline, infra, topic_prefix, mail, tenant, staff_headers):
    headers = staff_headers(tenant)
    add_customer(identity, tenant, headers, "TWICE1", f"ap@{tenant}.example")
    address = f"twice@{tenant}.example"
    identity.post(f"/v1/tenants/{tenant}/users", headers=headers,
                  json={"customer_code": "TWICE1", "username": "twice", "emails": address})
    arrived(mail, address, "welcome")
    all_sent(notifications, tenant, headers, 1)

    [record] = records_of(infra, f"{topic_prefix}portico.identity", tenant, "portico.identity.user.created")
    again = publish_again(infra, record)
    consumed_up_to(notifications_app.extensions["notifications"].pool, "notifications.mailings.v1", again)

    assert len(deliveries(notifications, tenant, headers)) == 1
    assert len(mail.to(address)) == 1


def test_a_reset_link_works_and_the_change_is_notified(identity, notifications, pipeline, mail, tenant,
                                                       staff_headers):
    headers = staff_headers(tenant)
    add_customer(identity, tenant, headers, "RESET1", f"ap@{tenant}.example")
    address = f"forgetful@{tenant}.example"
    identity.post(f"/v1/tenants/{tenant}/users", headers=headers, json={
        "customer_code": "RESET1", "username": "forgetful", "emails": address, "send_welcome_email": False,
        "initial_password": "an initial secret 42"})
    asked = identity.post(f"/v1/tenants/{tenant}/auth/forgot-password", json={"username": "forgetful"})
    assert asked.status_code == 202

    [reset] = arrived(mail, address, "password_reset")
    token = link(reset, "/reset-password")
    assert identity.post(f"/v1/tenants/{tenant}/auth/set-password",
                         json={"token": token, "password": PASSWORD}).status_code == 204
    [changed] = arrived(mail, address, "password_changed")
    assert "forgetful" in text_of(changed)
    logged_in = identity.post(f"/v1/tenants/{tenant}/auth/login", json={"username": "forgetful", "password": PASSWORD})
    assert logged_in.status_code == 200, logged_in.json
    all_sent(notifications, tenant, headers, 2)
    assert len(mail.to(address)) == 2


def test_the_delivery_log_says_what_went_to_whom_for_which_event(identity, notifications, pipeline, mail, tenant,
                                                                 staff_headers, infra, topic_prefix):
    headers = staff_headers(tenant)
    add_customer(identity, tenant, headers, "LOG01", f"ap@{tenant}.example")
    first, second = f"one@{tenant}.example", f"two@{tenant}.example"
    for username, address in (("one", first), ("two", second)):
        identity.post(f"/v1/tenants/{tenant}/users", headers=headers,
                      json={"customer_code": "LOG01", "username": username, "emails": address})
    all_sent(notifications, tenant, headers, 2)

    [to_first] = deliveries(notifications, tenant, headers, recipient=first.upper())
    assert (to_first["kind"], to_first["event_type"], to_first["attempts"]) == \
        ("welcome", "portico.identity.user.created", 1)
    assert deliveries(notifications, tenant, headers, event_id=to_first["event_id"]) == [to_first]
    assert deliveries(notifications, tenant, headers, status="failed") == []
    one = notifications.get(f"/v1/tenants/{tenant}/deliveries/{to_first['delivery_id']}", headers=headers)
    assert one.status_code == 200 and one.json["subject"] == to_first["subject"]
    assert notifications.get(f"/v1/tenants/{tenant}/deliveries", query_string={"status": "lost"},
                             headers=headers).json["code"] == "request.invalid"

    def published():
        sent = records_of(infra, f"{topic_prefix}portico.notifications", tenant, "portico.notifications.email.sent")
        assert len(sent) == 2
        return sent
    sent = eventually(published)
    assert {dict(r.headers)["ce_causationid"].decode() for r in sent} == {d["event_id"] for d in
                                                                          deliveries(notifications, tenant, headers)}


def test_only_in_house_staff_read_the_log(notifications, tenant, staff_headers):
    assert notifications.get(f"/v1/tenants/{tenant}/deliveries").json["code"] == "auth.token_missing"
    rep = staff_headers(tenant, role="sales-rep", username="rep-1")
    refused = notifications.get(f"/v1/tenants/{tenant}/deliveries", headers=rep)
    assert (refused.status_code, refused.json["code"]) == (403, "auth.in_house_only")
