"""A portal frontend of another stack logs in through identity's OpenID Connect provider with the client library
it already has: requests-oauthlib (oauthlib's OAuth2Session, PKCE S256), not Authlib, which the provider is built
with; PyJWT checks the ID token against the served JWKS. Over real HTTP, as a frontend would call it."""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
import requests
from requests_oauthlib import OAuth2Session

from ..fixtures.identity import served
from .users_helpers import PASSWORD, active_user

CALLBACK = "https://portal.example/callback"


@pytest.fixture
def loopback_http(monkeypatch):
    # oauthlib refuses plain http token endpoints; the provider is on a loopback port in this test only.
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")


def _register(identity, tenant, staff):
    made = identity.post(f"/v1/tenants/{tenant}/oidc/clients", headers=staff, json={
        "client_id": "other-stack", "name": "Acme's portal", "client_type": "public",
        "redirect_uris": [CALLBACK], "post_logout_redirect_uris": ["https://portal.example/bye"]})
    assert made.status_code == 201, made.json


def _logged_in_in_the_browser(authorization_url: str) -> str:
    """The user's part: identity's login page, filled in; the address it sends the browser back to."""
    browser = requests.Session()
    page = browser.get(authorization_url, timeout=30)
    assert page.status_code == 200, page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    back = browser.post(authorization_url, data={"csrf": csrf, "username": "john.smith", "password": PASSWORD},
                        allow_redirects=False, timeout=30)
    assert back.status_code == 302, back.text
    return back.headers["Location"]


def test_a_client_written_with_requests_oauthlib_logs_in_refreshes_reads_userinfo_and_logs_out(
        identity, identity_app, staff_headers, tenant, loopback_http):
    user = active_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    base = served(identity_app)
    config = requests.get(f"{base}/v1/tenants/{tenant}/.well-known/openid-configuration", timeout=30).json()

    client = OAuth2Session("other-stack", redirect_uri=CALLBACK, scope=["openid", "profile"], pkce="S256")
    url, state = client.authorization_url(config["authorization_endpoint"], nonce="n-789")
    assert "code_challenge_method=S256" in url
    back = _logged_in_in_the_browser(url)
    assert parse_qs(urlsplit(back).query)["state"] == [state]
    tokens = client.fetch_token(config["token_endpoint"], authorization_response=back, include_client_id=True)

    signing = jwt.PyJWKClient(config["jwks_uri"]).get_signing_key_from_jwt(tokens["id_token"])
    claims = jwt.decode(tokens["id_token"], signing.key, algorithms=config["id_token_signing_alg_values_supported"],
                        audience="other-stack", issuer=config["issuer"])
    assert claims["sub"] == user["user_id"] and claims["nonce"] == "n-789"
    assert (claims["customer_code"], claims["receivable_account"]) == ("ACME01", "1200-ACME")

    info = client.get(config["userinfo_endpoint"], timeout=30)
    assert info.status_code == 200 and info.json()["sub"] == user["user_id"]

    refreshed = client.refresh_token(config["token_endpoint"], client_id="other-stack")
    assert refreshed["refresh_token"] != tokens["refresh_token"]
    assert client.get(config["userinfo_endpoint"], timeout=30).status_code == 200  # with the new access token

    elsewhere = requests.get(f"{base}/v1/tenants/{tenant}-other/oidc/userinfo", timeout=30,
                             headers={"Authorization": f"Bearer {refreshed['access_token']}"})
    assert elsewhere.status_code == 403 and elsewhere.json()["code"] == "auth.wrong_tenant"  # another tenant's refuses it

    out = requests.get(config["end_session_endpoint"], allow_redirects=False, timeout=30, params={
        "id_token_hint": tokens["id_token"], "post_logout_redirect_uri": "https://portal.example/bye"})
    assert out.status_code == 302 and out.headers["Location"].startswith("https://portal.example/bye")
    assert client.get(config["userinfo_endpoint"], timeout=30).status_code == 401
