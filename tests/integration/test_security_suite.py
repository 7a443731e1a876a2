"""The security suite: portal users and staff of two tenants try every read and command on each other's
users and customers (zero successes), tokens of another tenant, expired, tampered or signed with another
key are refused by every service, and password-reset requests are limited per user."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import psycopg

from identity.adapters.signing import TokenSigner, generate_signing_key

from ..conftest import eventually
from .users_helpers import PASSWORD, bearer, log_in

CLAIMS = {"preferred_username": "staff-1", "user_type": "staff", "staff_roles": ["system-administrator"],
          "sales_rep": None}


def _portal_user(identity, tenant, admin, code: str) -> dict:
    """A customer with one approved portal user who has logged in: its id, customer and bearer headers."""
    customer = identity.post(f"/v1/tenants/{tenant}/customers", headers=admin, json={
        "code": code, "name": f"Customer {code}", "receivable_account": f"AR-{code}", "emails": f"{code}@x.example"})
    assert customer.status_code == 201, customer.json
    username = f"{code.lower()}.buyer"
    created = identity.post(f"/v1/tenants/{tenant}/users", headers=admin, json={
        "customer_code": code, "username": username, "emails": f"buyer@{code}.example", "areas": ["orders"],
        "initial_password": "Initial pass 2026"})
    assert created.status_code == 201, created.json
    changed = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": username, "password": "Initial pass 2026", "new_password": PASSWORD})
    assert changed.status_code == 200, changed.json
    return {"tenant": tenant, "code": code, "user_id": created.json["user_id"], "headers": bearer(changed)}


def _attempts(victim: dict) -> list[tuple[str, str, dict | None]]:
    """Every read and command on a victim's user and customer."""
    base, user = f"/v1/tenants/{victim['tenant']}", f"/v1/tenants/{victim['tenant']}/users/{victim['user_id']}"
    return [("GET", user, None), ("POST", f"{user}/approve", None), ("POST", f"{user}/disable", None),
            ("POST", f"{user}/delete", None), ("PATCH", f"{user}/access", {"areas": ["invoices"]}),
            ("GET", f"{base}/users", None), ("GET", f"{base}/customers/{victim['code']}", None),
            ("GET", f"{base}/customers/{victim['code']}/usernames", None),
            ("POST", f"{base}/customers", {"code": "EVIL", "name": "Evil", "receivable_account": "AR-EVIL"})]


def test_users_of_other_accounts_and_tenants_succeed_at_nothing_on_each_others_resources(
        identity, invitations, staff_headers, tenant):
    other_tenant = tenant + "-b"
    people = [_portal_user(identity, t, staff_headers(t), code) for t in (tenant, other_tenant)
              for code in ("ACC1", "ACC2")]
    tried, succeeded = 0, []
    for attacker in people:
        for victim in people:
            if victim is attacker:
                continue
            for method, path, body in _attempts(victim):
                tried += 1
                answer = identity.open(path, method=method, json=body, headers=attacker["headers"])
                if answer.status_code < 400:
                    succeeded.append((attacker["code"], attacker["tenant"], method, path, answer.status_code))
                assert answer.status_code < 500, (method, path, answer.json)
    staff_elsewhere = staff_headers(other_tenant)
    for victim in people[:2]:
        for method, path, body in _attempts(victim):
            tried += 1
            if identity.open(path, method=method, json=body, headers=staff_elsewhere).status_code < 400:
                succeeded.append(("staff", other_tenant, method, path))
        for path in ("/unapproved-usernames", "/invitation-history", "/username-administrators"):
            tried += 1
            if invitations.get(f"/v1/tenants/{victim['tenant']}{path}", headers=staff_elsewhere).status_code < 400:
                succeeded.append(("staff", other_tenant, "GET", path))
    print(f"[cross-account] attempts={tried} successes={len(succeeded)}")
    assert succeeded == []


def test_tokens_of_another_tenant_expired_tampered_or_signed_with_another_key_are_refused_everywhere(
        identity_app, identity, invitations, documents, tenant):
    signer = identity_app.extensions["identity"].security.signer
    now = datetime.now(timezone.utc)
    stranger = TokenSigner(generate_signing_key(), signer.issuer, signer.audience, timedelta(minutes=5))
    good = signer.issue("staff-1", {"tenant": tenant, **CLAIMS}, now)
    bad = {"another tenant": signer.issue("staff-1", {"tenant": tenant + "-other", **CLAIMS}, now),
           "expired": signer.issue("staff-1", {"tenant": tenant, **CLAIMS}, now - timedelta(hours=2)),
           "tampered": good[:-6] + ("AAAAAA" if not good.endswith("AAAAAA") else "BBBBBB"),
           "another key": stranger.issue("staff-1", {"tenant": tenant, **CLAIMS}, now),
           "no signature": good.rsplit(".", 1)[0] + "."}
    reads = [(identity, f"/v1/tenants/{tenant}/users"), (invitations, f"/v1/tenants/{tenant}/unapproved-usernames"),
             (documents, f"/v1/tenants/{tenant}/documents")]
    for client, path in reads:
        assert client.get(path, headers={"Authorization": f"Bearer {good}"}).status_code == 200, path
        for why, token in bad.items():
            answer = client.get(path, headers={"Authorization": f"Bearer {token}"})
            assert answer.status_code in (401, 403), (why, path, answer.status_code)


def test_password_reset_requests_send_at_most_three_links_an_hour_and_answer_alike(
        identity, identity_loops, staff_headers, database, tenant):
    victim = _portal_user(identity, tenant, staff_headers(tenant), "ACC1")
    url = f"/v1/tenants/{tenant}/auth/forgot-password"
    answers = [identity.post(url, json={"username": "acc1.buyer"}) for _ in range(6)]
    assert {(a.status_code, a.json["detail"]) for a in answers} == {(202, answers[0].json["detail"])}

    def worked_off():  # the identity worker sends the links of the queued requests
        with psycopg.connect(database("identity")) as conn:
            assert conn.execute("SELECT count(*) FROM password_reset_requests WHERE tenant_id = %s",
                                (tenant,)).fetchone()[0] == 0
    eventually(worked_off)
    with psycopg.connect(database("identity")) as conn:
        [(links,)] = conn.execute("SELECT count(*) FROM events WHERE stream_id = %s AND event_type LIKE %s",
                                  (f"user-{victim['user_id']}", "%.password_reset_requested")).fetchall()
    assert links == 3
    assert log_in(identity, tenant, "acc1.buyer").status_code == 200
