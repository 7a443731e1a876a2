"""Identity's own pages of the code flow, as a browser sees them: headed with the tenant's company name,
the first password replaced on the spot, a forgotten password asked for, the client's sign-up page
linked; and a client's addresses changed by a system administrator, matched exactly from then on."""
from __future__ import annotations

import re
from urllib.parse import urlencode

from ..conftest import eventually
from .test_oidc import BYE, CALLBACK, _code, _pkce, _register, _token
from .users_helpers import PASSWORD, add_customer, create_user, events_of

INITIAL, OWN = "Initial pass 2026", "My own passphrase 2026"
SIGN_UP = "https://portal.example/register"


def _login_url(tenant, challenge, redirect_uri=CALLBACK):
    return f"/v1/tenants/{tenant}/oidc/authorize?" + urlencode({
        "response_type": "code", "client_id": "portal-web", "redirect_uri": redirect_uri, "scope": "openid profile",
        "state": "s-123", "code_challenge": challenge, "code_challenge_method": "S256"})


def _csrf(page) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)


def _visible(page) -> str:
    """The words a person reads: the page without its tags."""
    return re.sub(r"<[^>]+>", " ", page.text)


def test_the_login_page_carries_the_company_name_and_a_first_password_is_replaced_on_it(
        identity, identity_loops, invitations, invitations_loops, staff_headers, tenant):
    add_customer(identity, tenant, staff_headers(tenant, role="in-house"))
    create_user(identity, tenant, staff_headers(tenant, role="in-house"), initial_password=INITIAL)
    client = identity.post(f"/v1/tenants/{tenant}/oidc/clients", headers=staff_headers(tenant), json={
        "client_id": "portal-web", "name": "the customer portal", "client_type": "public",
        "redirect_uris": [CALLBACK], "sign_up_uri": SIGN_UP})
    assert client.status_code == 201 and client.json["sign_up_uri"] == SIGN_UP
    named = invitations.patch(f"/v1/tenants/{tenant}/invitation-settings", json={"company_name": "Northwind Supply"},
                              headers=staff_headers(tenant))
    assert named.status_code == 200, named.json
    verifier, challenge = _pkce()
    url = _login_url(tenant, challenge)

    def headed():
        page = identity.get(url)
        assert "Northwind Supply customer portal" in page.text, page.text
        return page
    page = eventually(headed)  # the name arrives from the invitations service's event
    assert f'href="{SIGN_UP}"' in page.text and 'href="forgot-password?' in page.text
    assert "/v1/" not in _visible(page) and "portico" not in _visible(page).lower()
    assert "form-action 'self' https://portal.example" in page.headers["Content-Security-Policy"]  # the redirect

    first = identity.post(url, data={"csrf": _csrf(page), "username": "john.smith", "password": INITIAL})
    assert first.status_code == 200 and "Choose your password" in first.text and "At least" in first.text
    typo = identity.post(url, data={"csrf": _csrf(first), "step": "new-password", "username": "john.smith",
                                    "password": INITIAL, "new_password": OWN, "new_password_again": OWN + "x"})
    assert typo.status_code == 422 and "The two new passwords differ." in typo.text
    weak = identity.post(url, data={"csrf": _csrf(typo), "step": "new-password", "username": "john.smith",
                                    "password": INITIAL, "new_password": "short", "new_password_again": "short"})
    assert weak.status_code == 422 and "at least" in weak.text and "new_password" not in _visible(weak)
    done = identity.post(url, data={"csrf": _csrf(weak), "step": "new-password", "username": "john.smith",
                                    "password": INITIAL, "new_password": OWN, "new_password_again": OWN})
    tokens = _token(identity, tenant, grant_type="authorization_code", code=_code(done), redirect_uri=CALLBACK,
                    client_id="portal-web", code_verifier=verifier)
    assert tokens.status_code == 200, tokens.json
    assert identity.post(f"/v1/tenants/{tenant}/auth/login", json={
        "username": "john.smith", "password": OWN}).status_code == 200  # the new password is the password now


def test_the_forgot_password_page_answers_alike_whoever_asks_and_leads_back(identity, staff_headers, tenant):
    _register(identity, tenant, staff_headers(tenant))
    _, challenge = _pkce()
    query = _login_url(tenant, challenge).split("?", 1)[1]
    url = f"/v1/tenants/{tenant}/oidc/forgot-password?{query}"
    form = identity.get(url)
    assert form.status_code == 200 and "Send me a link" in form.text and "Customer portal" in form.text
    answers = [identity.post(url, data={"username": name}) for name in ("john.smith", "nobody-at-all")]
    assert [a.status_code for a in answers] == [200, 200] and answers[0].text == answers[1].text
    assert "a link to set a new password is on its way" in answers[0].text
    assert f'href="authorize?{query.replace("&", "&amp;")}"' in answers[0].text


def test_a_system_administrator_changes_a_clients_redirect_uris_and_only_the_new_ones_match(
        identity, identity_loops, staff_headers, infra, topic_prefix, tenant):
    add_customer(identity, tenant, staff_headers(tenant, role="in-house"))
    create_user(identity, tenant, staff_headers(tenant, role="in-house"), initial_password=INITIAL)
    identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": INITIAL, "new_password": PASSWORD})
    _register(identity, tenant, staff_headers(tenant))
    moved = "https://portal.example/oidc/callback"
    change = {"name": "Acme's new portal", "redirect_uris": [moved], "post_logout_redirect_uris": [BYE]}
    url = f"/v1/tenants/{tenant}/oidc/clients/portal-web"
    assert identity.put(url, json=change, headers=staff_headers(tenant, role="in-house")).status_code == 403
    bad = identity.put(url, json={**change, "redirect_uris": ["not an address"]}, headers=staff_headers(tenant))
    assert bad.status_code == 400 and [e["field"] for e in bad.json["errors"]] == ["redirect_uris.0"]
    assert identity.put(f"{url}-x", json=change, headers=staff_headers(tenant)).status_code == 404
    changed = identity.put(url, json=change, headers=staff_headers(tenant))
    assert changed.status_code == 200 and changed.json["redirect_uris"] == [moved], changed.json
    assert changed.json["client_type"] == "public" and changed.json["sign_up_uri"] is None

    _, challenge = _pkce()
    old = identity.get(_login_url(tenant, challenge))
    assert old.status_code == 400 and "Location" not in old.headers
    assert identity.get(_login_url(tenant, challenge, moved + "/")).status_code == 400  # exactly, no prefix
    page = identity.get(_login_url(tenant, challenge, moved))
    assert page.status_code == 200 and "Log in to Acme&#39;s new portal" in page.text
    events = events_of(infra, topic_prefix, tenant, f"oidc-client-{tenant}-portal-web",
                       {"oidc_client.registered", "oidc_client.changed"})
    assert next(e for e in events if e["type"] == "oidc_client.changed")["data"]["redirect_uris"] == [moved]
