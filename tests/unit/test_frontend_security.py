"""The reference frontend's own safeguards, without any service: CSRF on every form, the cookie's flags,
pages behind a login, no open redirect after it, and a service that does not answer shown honestly."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from frontend.app import create_app


@pytest.fixture
def client():
    app = create_app({"SECRET_KEY": "unit-test-secret", "IDENTITY_URL": "http://127.0.0.1:9",
                      "INVITATIONS_URL": "http://127.0.0.1:9", "API_TIMEOUT": 1})
    return app.test_client()


def csrf_of(page: bytes) -> str:
    return re.search(rb'name="csrf_token" value="([^"]+)"', page).group(1).decode()


def test_a_form_posted_without_its_csrf_token_is_refused(client):
    client.get("/login")
    assert client.post("/login", data={"username": "a", "password": "b"}).status_code == 400
    assert client.post("/login", data={"username": "a", "password": "b", "csrf_token": "forged"}).status_code == 400


def test_the_session_cookie_is_http_only_and_same_site_lax(client):
    cookie = client.get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_secure_cookies_when_behind_tls(monkeypatch):
    monkeypatch.setenv("PORTICO_WEB_SECURE_COOKIES", "1")
    app = create_app({"SECRET_KEY": "s"})
    assert "Secure" in app.test_client().get("/login").headers["Set-Cookie"]


def test_pages_ask_for_a_login_and_say_where_to_come_back(client):
    staff = client.get("/staff/customers")
    portal = client.get("/documents/invoices")
    assert staff.status_code == 302 and staff.headers["Location"].startswith("/staff/login?next=/staff/customers")
    assert portal.status_code == 302 and portal.headers["Location"].startswith("/login?next=/documents/invoices")


def test_pages_forbid_framing_and_foreign_scripts(client):
    headers = client.get("/login").headers
    assert headers["X-Frame-Options"] == "DENY"
    assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_a_login_when_identity_does_not_answer_says_so_on_the_page(client):
    answer = client.get("/login?next=//evil.example/")
    assert answer.status_code == 503
    assert b"The login service does not answer just now" in answer.data


def test_the_portal_logs_in_with_the_code_flow_and_pkce_s256_as_a_public_client():
    app = create_app({"SECRET_KEY": "s", "CLIENT_ID": "portal"})
    issuer = "https://identity.example/v1/tenants/demo"
    with app.app_context():  # as the discovery document says, without asking identity
        app.extensions["portal_oidc"].create_client("identity").server_metadata.update(
            issuer=issuer, authorization_endpoint=f"{issuer}/oidc/authorize", _loaded_at=1)
    answer = app.test_client().get("/login?next=/documents/invoices")
    location = urlsplit(answer.headers["Location"])
    query = {k: v[0] for k, v in parse_qs(location.query).items()}
    assert answer.status_code == 302 and f"{location.scheme}://{location.netloc}{location.path}" == f"{issuer}/oidc/authorize"
    assert (query["response_type"], query["client_id"], query["redirect_uri"], query["scope"]) == (
        "code", "portal", "http://localhost/oidc/callback", "openid profile")
    assert query["code_challenge_method"] == "S256" and len(query["code_challenge"]) == 43
    assert query["state"] and query["nonce"] and "client_secret" not in query


def test_the_frontend_refuses_to_start_without_a_session_secret(monkeypatch):
    monkeypatch.delenv("PORTICO_WEB_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="PORTICO_WEB_SECRET_KEY"):
        create_app()


@pytest.mark.parametrize("target, expected", [("/staff/customers?q=a", "/staff/customers?q=a"),
                                              ("//evil.example/", "/home"), ("https://evil.example/", "/home")])
def test_after_a_login_only_a_path_of_this_site_is_followed(target, expected):
    from frontend.sessions import safe_next

    app = create_app({"SECRET_KEY": "s"})
    with app.test_request_context("/login", query_string={"next": target}):
        assert safe_next("/home") == expected
