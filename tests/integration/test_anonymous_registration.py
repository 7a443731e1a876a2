"""Anonymous requests tell nothing and cannot be abused (issue 14): a registration answers alike whether the
customer code exists or not, a tenant nobody set up has none, registrations are limited per e-mail address
and per client, so are guesses at invitation links, and forgot-password does the same work whatever the name."""
from __future__ import annotations

import threading
from contextlib import contextmanager

import psycopg

from .users_helpers import PASSWORD, add_customer, create_user, log_in


def _register(identity, tenant, username, address, **fields):
    return identity.post(f"/v1/tenants/{tenant}/registrations", json={
        "username": username, "password": PASSWORD, "first_name": "Kim", "last_name": "Lee", "emails": address,
        **fields})


def test_a_registration_answers_alike_whether_the_customer_code_exists_or_not(identity, staff_headers, tenant):
    add_customer(identity, tenant, staff_headers(tenant))
    known = _register(identity, tenant, "kim.known", "kim@known.example", customer_code="ACME01")
    unknown = _register(identity, tenant, "kim.unknown", "kim@unknown.example", customer_code="NO-SUCH-CODE")
    assert known.status_code == unknown.status_code == 201, (known.json, unknown.json)
    alike = lambda r: {k: v for k, v in r.json.items() if k not in ("user_id", "username")}  # noqa: E731
    assert alike(known) == alike(unknown) and set(known.json) == set(unknown.json)
    assert "customer_id" not in known.json and "customer_code" not in known.json
    logins = [log_in(identity, tenant, name) for name in ("kim.known", "kim.unknown")]
    assert logins[0].status_code == logins[1].status_code == 403  # both wait for approval
    assert logins[0].json == {**logins[1].json, "instance": logins[0].json["instance"]}


def test_a_tenant_nobody_set_up_has_no_registration(identity, tenant):
    refused = _register(identity, tenant, "kim.lee", "kim@example.com")
    assert refused.status_code == 404 and refused.json["code"] == "tenant.not_found", refused.json


def test_registrations_are_limited_per_e_mail_address_and_per_client(identity_app, identity, staff_headers, tenant):
    add_customer(identity, tenant, staff_headers(tenant))
    config = identity_app.config
    per_address, per_client = config["REGISTRATIONS_PER_ADDRESS_PER_HOUR"], config["REGISTRATIONS_PER_CLIENT_PER_HOUR"]
    for n in range(per_address):
        assert _register(identity, tenant, f"kim.{n}", "kim@bombed.example").status_code == 201
    bombed = _register(identity, tenant, "kim.more", "Kim@Bombed.example")
    assert bombed.status_code == 429 and bombed.json["code"] == "registration.rate_limited", bombed.json
    assert int(bombed.headers["Retry-After"]) > 0 and "e-mail address" in bombed.json["detail"]

    for n in range(per_address, per_client):
        answer = _register(identity, tenant, f"kim.{n}", f"kim{n}@example.com")
        assert answer.status_code == 201, (n, answer.json)
    flooded = _register(identity, tenant, "kim.last", "kim.last@example.com")
    assert flooded.status_code == 429 and "network address" in flooded.json["detail"], flooded.json
    # another tenant is not held up by this one's flood
    other = tenant + "-b"
    add_customer(identity, other, staff_headers(other))
    assert _register(identity, other, "kim.last", "kim.last@example.com").status_code == 201


def test_a_client_guessing_invitation_links_gets_429_for_a_while(invitations_app, invitations, tenant):
    url = f"/v1/tenants/{tenant}/invitation-links/open"
    guesses = invitations_app.config["UNKNOWN_LINKS_PER_CLIENT_PER_HOUR"]
    for n in range(guesses):
        unknown = invitations.post(url, json={"token": f"{n:043d}"})
        assert unknown.status_code == 404 and unknown.json["code"] == "invitation.token_unknown", unknown.json
    for _ in range(2):
        refused = invitations.post(url, json={"token": "y" * 43})
        assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0, refused.json
        assert refused.json["code"] == "invitation.too_many_unknown_links"
    other = invitations.post(f"/v1/tenants/{tenant}-b/invitation-links/open", json={"token": "y" * 43})
    assert other.status_code == 404  # another tenant's links are not held up


@contextmanager
def statements_of_this_thread():
    """The SQL the current thread sends while inside, texts only (the real database still runs them)."""
    seen, me, execute = [], threading.get_ident(), psycopg.Connection.execute

    def counting(self, query, *args, **kwargs):
        if threading.get_ident() == me:
            seen.append(str(query))
        return execute(self, query, *args, **kwargs)

    psycopg.Connection.execute = counting
    try:
        yield seen
    finally:
        psycopg.Connection.execute = execute


def test_forgot_password_does_the_same_work_whatever_the_name(identity, staff_headers, tenant):
    add_customer(identity, tenant, staff_headers(tenant))
    assert create_user(identity, tenant, staff_headers(tenant), initial_password=PASSWORD).status_code == 201
    work = {}
    for name in ("john.smith", "no.such.user"):
        with statements_of_this_thread() as seen:
            answer = identity.post(f"/v1/tenants/{tenant}/auth/forgot-password", json={"username": name})
        assert answer.status_code == 202
        work[name] = seen
    assert work["john.smith"] == work["no.such.user"] and work["john.smith"], work
