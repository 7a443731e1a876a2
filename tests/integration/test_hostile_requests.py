"""Smaller holes an attacker found (issue 14): a burst of wrong passwords gets exactly five guesses,
identifiers with a trailing line break are refused in every service rather than becoming second records,
and callers are authenticated before anything about their request is answered."""
from __future__ import annotations

import threading

from ..documents_samples import body
from .users_helpers import PASSWORD, add_customer, create_user, log_in

BURST = 12


def test_a_parallel_burst_of_wrong_passwords_gets_exactly_five_guesses_before_the_lock(
        identity_app, identity, staff_headers, tenant):
    add_customer(identity, tenant, staff_headers(tenant))
    assert create_user(identity, tenant, staff_headers(tenant), initial_password=PASSWORD).status_code == 201
    start, answers, lock = threading.Barrier(BURST), [], threading.Lock()

    def guess(n: int):
        client = identity_app.test_client()
        start.wait()
        status = log_in(client, tenant, "john.smith", f"wrong guess {n}").status_code
        with lock:
            answers.append(status)

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(BURST)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # four refusals, the fifth failure locks, and every later try is refused without a guess
    assert sorted(answers) == [401] * 4 + [429] * (BURST - 4), answers
    assert log_in(identity, tenant, "john.smith", PASSWORD).status_code == 429


def test_identifiers_with_a_trailing_line_break_are_refused_in_every_service(
        identity, invitations, notifications, documents, erp_headers, staff_headers, tenant):
    admin = staff_headers(tenant)
    for client, path in ((identity, "/auth/me"), (invitations, "/invitation-settings"),
                         (notifications, "/deliveries"), (documents, "/documents")):
        answer = client.get(f"/v1/tenants/{tenant}%0A{path}", headers=admin)
        assert answer.status_code == 404 and answer.json["code"] == "tenant.not_found", (path, answer.json)

    code = identity.post(f"/v1/tenants/{tenant}/customers", headers=admin, json={
        "code": "ACME01\n", "name": "Acme", "receivable_account": "1200-ACME"})
    assert code.status_code == 400 and code.json["errors"][0]["field"] == "code", code.json
    add_customer(identity, tenant, admin)
    username = create_user(identity, tenant, admin, username="john.smith\n")  # trimmed: the same name, not another
    assert username.status_code == 201 and username.json["username"] == "john.smith", username.json
    twin = create_user(identity, tenant, admin, username="john.smith\n.x")
    assert twin.status_code == 400 and twin.json["errors"][0]["field"] == "username", twin.json

    number = documents.put(f"/v1/tenants/{tenant}/documents/invoices/INV-NL%0A", headers=erp_headers(tenant),
                           json=body("invoice"))
    assert number.status_code == 400 and number.json["errors"][0]["field"] == "number", number.json


def test_invitations_authenticates_before_it_reads_a_body(invitations, tenant):
    for method, path in (("POST", "/invitation-batches"), ("PUT", "/username-administrators"),
                         ("POST", "/invitations/00000000-0000-4000-8000-000000000000/resend")):
        answer = invitations.open(f"/v1/tenants/{tenant}{path}", method=method, data="{not json",
                                  content_type="application/json")
        assert answer.status_code == 401 and answer.json["code"] == "auth.token_missing", (path, answer.json)


def test_a_portal_user_cannot_tell_customer_codes_apart(identity, staff_headers, tenant):
    admin = staff_headers(tenant)
    add_customer(identity, tenant, admin)
    assert create_user(identity, tenant, admin, initial_password="Initial pass 2026").status_code == 201
    tokens = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": PASSWORD})
    portal = {"Authorization": f"Bearer {tokens.json['access_token']}"}
    answers = {}
    for code in ("ACME01", "NO-SUCH-CODE"):
        usernames = identity.get(f"/v1/tenants/{tenant}/customers/{code}/usernames", headers=portal)
        created = create_user(identity, tenant, portal, customer_code=code, username=f"x.{code.lower()}")
        answers[code] = [(r.status_code, r.json["code"]) for r in (usernames, created)]
    assert answers["ACME01"] == answers["NO-SUCH-CODE"] == [(403, "auth.staff_only")] * 2, answers
