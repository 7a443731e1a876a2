"""OpenID Connect against the real database, driven as an independent client would: hand-written requests
following RFC 6749 and RFC 7636 (not Authlib, which the provider uses), PyJWT checking the ID token
against the JWKS."""
from __future__ import annotations

import base64
import hashlib
import re
import secrets
import uuid
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
import pytest

from .users_helpers import PASSWORD, active_user, events_of

CALLBACK, BYE = "https://portal.example/callback", "https://portal.example/bye"


def _portal_user(identity, tenant, staff):
    return active_user(identity, tenant, staff)


def _register(identity, tenant, staff, client_type="public", client_id="portal-web"):
    answer = identity.post(f"/v1/tenants/{tenant}/oidc/clients", headers=staff, json={
        "client_id": client_id, "name": "Acme's portal", "client_type": client_type,
        "redirect_uris": [CALLBACK], "post_logout_redirect_uris": [BYE]})
    assert answer.status_code == 201, answer.json
    return answer.json


def _pkce():
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def _authorize(identity, tenant, client_id="portal-web", challenge=None, password=PASSWORD, **extra):
    """The browser's part: open the login page, log in; the redirect back to the client."""
    query = {"response_type": "code", "client_id": client_id, "redirect_uri": CALLBACK, "scope": "openid profile",
             "state": "s-123", "nonce": "n-456", **({"code_challenge": challenge, "code_challenge_method": "S256"}
                                                    if challenge else {}), **extra}
    url = f"/v1/tenants/{tenant}/oidc/authorize?{urlencode(query)}"
    page = identity.get(url)
    if page.status_code != 200:
        return page
    assert "Log in to Acme&#39;s portal" in page.text and "/v1/" not in page.text
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)
    return identity.post(url, data={"csrf": csrf, "username": "john.smith", "password": password})


def _code(answer) -> str:
    assert answer.status_code == 302, answer.text
    location = urlsplit(answer.headers["Location"])
    params = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK and params["state"] == ["s-123"]
    return params["code"][0]


def _token(identity, tenant, auth=None, **form):
    return identity.post(f"/v1/tenants/{tenant}/oidc/token", data=form, headers=auth or {})


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def _log_in_with_code_flow(identity, tenant):
    verifier, challenge = _pkce()
    code = _code(_authorize(identity, tenant, challenge=challenge))
    tokens = _token(identity, tenant, grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                    client_id="portal-web", code_verifier=verifier)
    assert tokens.status_code == 200, tokens.json
    return tokens.json


def test_a_public_client_logs_in_with_pkce_refreshes_reads_userinfo_and_logs_out(identity, staff_headers, tenant):
    user = _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    config = identity.get(f"/v1/tenants/{tenant}/.well-known/openid-configuration").json
    assert config["issuer"].endswith(f"/v1/tenants/{tenant}") and config["code_challenge_methods_supported"] == ["S256"]

    tokens = _log_in_with_code_flow(identity, tenant)
    jwks = identity.get("/.well-known/jwks.json").json
    key = jwt.PyJWK(jwks["keys"][0])
    id_token = jwt.decode(tokens["id_token"], key.key, algorithms=["EdDSA"], audience="portal-web",
                          issuer=config["issuer"])
    assert id_token["sub"] == user["user_id"] and id_token["nonce"] == "n-456" and id_token["amr"] == ["pwd"]
    assert (id_token["customer_code"], id_token["receivable_account"], id_token["kind"], id_token["areas"]) == (
        "ACME01", "1200-ACME", "management", ["orders", "quotes"])
    access = jwt.decode(tokens["access_token"], key.key, algorithms=["EdDSA"], audience="portico")
    assert access["client_id"] == "portal-web" and access["sid"] == id_token["sid"]
    assert jwt.get_unverified_header(tokens["access_token"])["typ"] == "at+jwt"

    info = identity.get(f"/v1/tenants/{tenant}/oidc/userinfo", headers=_bearer(tokens["access_token"]))
    assert info.status_code == 200 and info.json["sub"] == user["user_id"]

    refreshed = _token(identity, tenant, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                       client_id="portal-web")
    assert refreshed.status_code == 200, refreshed.json
    assert refreshed.json["refresh_token"] != tokens["refresh_token"]

    out = identity.get(f"/v1/tenants/{tenant}/oidc/end-session?" + urlencode(
        {"id_token_hint": tokens["id_token"], "post_logout_redirect_uri": BYE, "state": "bye-1"}))
    assert out.status_code == 302 and out.headers["Location"] == f"{BYE}?state=bye-1"
    refused = identity.get(f"/v1/tenants/{tenant}/oidc/userinfo", headers=_bearer(refreshed.json["access_token"]))
    assert refused.status_code == 401 and refused.json["code"] == "auth.token_revoked"
    again = _token(identity, tenant, grant_type="refresh_token", refresh_token=refreshed.json["refresh_token"],
                   client_id="portal-web")
    assert again.status_code == 400 and again.json["error"] == "invalid_grant"


def test_a_refresh_token_presented_twice_ends_the_session(identity, staff_headers, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    tokens = _log_in_with_code_flow(identity, tenant)
    form = {"grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": "portal-web"}
    rotated = _token(identity, tenant, **form)
    assert rotated.status_code == 200
    replayed = _token(identity, tenant, **form)
    assert replayed.status_code == 400 and replayed.json["error"] == "invalid_grant"
    refused = identity.get(f"/v1/tenants/{tenant}/oidc/userinfo", headers=_bearer(rotated.json["access_token"]))
    assert refused.status_code == 401 and refused.json["code"] == "auth.token_revoked"


def test_a_public_client_must_use_pkce_s256_and_the_right_verifier(identity, staff_headers, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    without = identity.get(f"/v1/tenants/{tenant}/oidc/authorize?" + urlencode(
        {"response_type": "code", "client_id": "portal-web", "redirect_uri": CALLBACK, "scope": "openid"}))
    assert without.status_code == 302 and "error=invalid_request" in without.headers["Location"]
    plain = identity.get(f"/v1/tenants/{tenant}/oidc/authorize?" + urlencode(
        {"response_type": "code", "client_id": "portal-web", "redirect_uri": CALLBACK, "scope": "openid",
         "code_challenge": "x" * 43, "code_challenge_method": "plain"}))
    assert plain.status_code == 302 and "error=invalid_request" in plain.headers["Location"]

    _, challenge = _pkce()
    code = _code(_authorize(identity, tenant, challenge=challenge))
    wrong = _token(identity, tenant, grant_type="authorization_code", code=code, redirect_uri=CALLBACK,
                   client_id="portal-web", code_verifier=_pkce()[0])
    assert wrong.status_code == 400 and wrong.json["error"] == "invalid_grant"


def test_redirect_uris_match_exactly_and_the_login_page_refuses_in_words(identity, staff_headers, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    _, challenge = _pkce()
    other = _authorize(identity, tenant, challenge=challenge, redirect_uri=CALLBACK + "/../evil")
    assert other.status_code == 400 and "Location" not in other.headers
    assert "does not work" in other.text and "redirect_uri" not in other.text
    refused = _authorize(identity, tenant, challenge=challenge, password="wrong password!")
    assert refused.status_code == 401 and "not right" in refused.text and "auth." not in refused.text


def test_a_confidential_client_authenticates_with_its_secret(identity, staff_headers, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    secret = _register(identity, tenant, staff_headers(tenant), "confidential", "portal-server")["client_secret"]
    code = _code(_authorize(identity, tenant, client_id="portal-server"))
    basic = {"Authorization": "Basic " + base64.b64encode(f"portal-server:{secret}".encode()).decode()}
    wrong = {"Authorization": "Basic " + base64.b64encode(b"portal-server:guess").decode()}
    assert _token(identity, tenant, wrong, grant_type="authorization_code", code=code,
                  redirect_uri=CALLBACK).status_code == 401
    tokens = _token(identity, tenant, basic, grant_type="authorization_code", code=code, redirect_uri=CALLBACK)
    assert tokens.status_code == 200, tokens.json
    assert jwt.decode(tokens.json["access_token"], options={"verify_signature": False})["client_id"] == "portal-server"


def test_a_tenants_client_tokens_are_refused_by_another_tenant(identity, staff_headers, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    other = f"t-{uuid.uuid4().hex[:12]}"
    _register(identity, other, staff_headers(other))
    tokens = _log_in_with_code_flow(identity, tenant)
    for path in ("oidc/userinfo", "auth/me", "users", "customers", "oidc/clients"):  # any of the other's endpoints
        answer = identity.get(f"/v1/tenants/{other}/{path}", headers=_bearer(tokens["access_token"]))
        assert answer.status_code == 403 and answer.json["code"] == "auth.wrong_tenant", path
    logout = identity.get(f"/v1/tenants/{other}/oidc/end-session?" + urlencode({"id_token_hint": tokens["id_token"]}))
    assert logout.status_code == 400  # another issuer's ID token ends nothing here
    assert identity.get(f"/v1/tenants/{tenant}/oidc/userinfo", headers=_bearer(tokens["access_token"])).status_code == 200
    refresh = _token(identity, other, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                     client_id="portal-web")
    assert refresh.status_code == 400 and refresh.json["error"] == "invalid_grant"
    assert _token(identity, tenant, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                  client_id="portal-web").status_code == 200


@pytest.mark.parametrize("body, field", [
    ({"client_id": "Bad Id", "name": "x", "client_type": "public", "redirect_uris": [CALLBACK]}, "client_id"),
    ({"client_id": "ok", "name": "x", "client_type": "public", "redirect_uris": ["not a url"]}, "redirect_uris.0"),
    ({"client_id": "ok", "name": "x", "client_type": "secret", "redirect_uris": [CALLBACK]}, "client_type"),
])
def test_registering_a_client_names_the_field_that_is_wrong_and_needs_a_system_administrator(
        identity, staff_headers, tenant, body, field):
    answer = identity.post(f"/v1/tenants/{tenant}/oidc/clients", json=body, headers=staff_headers(tenant))
    assert answer.status_code == 400 and field in [e["field"] for e in answer.json["errors"]]
    ok = {**body, "client_id": "fine", "client_type": "public", "redirect_uris": [CALLBACK]}
    refused = identity.post(f"/v1/tenants/{tenant}/oidc/clients", json=ok, headers=staff_headers(tenant, role="in-house"))
    assert refused.status_code == 403 and refused.json["code"] == "auth.system_administrator_only"


def test_registering_and_removing_a_client_are_events_and_a_removed_clients_tokens_stop(
        identity, identity_loops, staff_headers, infra, topic_prefix, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    tokens = _log_in_with_code_flow(identity, tenant)
    assert [c["client_id"] for c in identity.get(f"/v1/tenants/{tenant}/oidc/clients",
                                                  headers=staff_headers(tenant)).json] == ["portal-web"]
    assert identity.delete(f"/v1/tenants/{tenant}/oidc/clients/portal-web", headers=staff_headers(tenant)).status_code == 204
    assert identity.delete(f"/v1/tenants/{tenant}/oidc/clients/portal-web", headers=staff_headers(tenant)).status_code == 404

    refused = _token(identity, tenant, grant_type="refresh_token", refresh_token=tokens["refresh_token"],
                     client_id="portal-web")
    assert refused.status_code in (400, 401) and refused.json["error"] == "invalid_client"  # RFC 6749 5.2
    events = events_of(infra, topic_prefix, tenant, f"oidc-client-{tenant}-portal-web",
                       {"oidc_client.registered", "oidc_client.removed"})
    registered = next(e for e in events if e["type"] == "oidc_client.registered")
    assert registered["data"]["redirect_uris"] == [CALLBACK] and "secret" not in str(registered["data"])


def test_the_login_page_counts_failures_with_todays_lockout(identity, staff_headers, tenant):
    _portal_user(identity, tenant, staff_headers(tenant, role="in-house"))
    _register(identity, tenant, staff_headers(tenant))
    _, challenge = _pkce()
    tries = [_authorize(identity, tenant, challenge=challenge, password="wrong password!") for _ in range(5)]
    assert [t.status_code for t in tries] == [401, 401, 401, 401, 429]
    locked = _authorize(identity, tenant, challenge=challenge)  # the right password, during the lock
    assert locked.status_code == 429 and "paused" in locked.text
    login_api = identity.post(f"/v1/tenants/{tenant}/auth/login", json={"username": "john.smith", "password": PASSWORD})
    assert login_api.status_code == 429  # one count for both ways in
