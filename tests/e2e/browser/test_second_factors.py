"""Second factors in Chromium (issue 19), on identity's own login page of the code flow: a staff user under
"required for staff" cannot get past the password without setting one up; one sets up an authenticator app and
logs in with its code, another a passkey (Chromium's virtual authenticator, through the DevTools protocol)
and logs in with it. Each login ends with the client's code redeemed at the token endpoint."""
from __future__ import annotations

import base64
import re
import hashlib
import secrets
import subprocess
import sys
import uuid
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlencode, urlsplit

import pyotp
import pytest
import requests
from playwright.sync_api import expect

from ..conftest import ROOT, staff_login
from .accessibility import assert_accessible
from .test_portal_roles import OWN, Setup
from .test_portal_roles import log_in as portal_log_in

PASSWORD = "second factor passphrase 5"


@pytest.fixture(scope="module")
def mfa_tenant(stack):
    """A tenant of its own (the frontend's tenant stays optional) requiring a second factor of staff, with a
    client whose redirect lands back on identity (this host is the passkeys' relying party: localhost, since
    WebAuthn refuses an IP address)."""
    tenant = f"t-{uuid.uuid4().hex[:12]}"
    admin = staff_login(stack)(tenant)
    base = stack.url("identity").replace("127.0.0.1", "localhost")
    callback = f"{base}/health/live"
    client = requests.post(f"{base}/v1/tenants/{tenant}/oidc/clients", headers=admin, timeout=10, json={
        "client_id": "mfa-portal", "name": "The parts portal", "client_type": "public", "redirect_uris": [callback],
        "post_logout_redirect_uris": []})
    assert client.status_code == 201, client.text
    policy = requests.put(f"{base}/v1/tenants/{tenant}/settings", headers=admin, timeout=10,
                          json={"second_factor_policy": "required_for_staff"})
    assert policy.status_code == 200, policy.text
    return {"tenant": tenant, "base": base, "callback": callback, "env": stack.envs["identity"]}


def _staff_user(mfa_tenant, username: str) -> str:
    made = subprocess.run(
        [sys.executable, "-m", "identity.entrypoints.admin_cli", "create-staff", "--tenant", mfa_tenant["tenant"],
         "--username", username, "--name", username.title(), "--role", "in-house", "--password-stdin"],
        input=PASSWORD + "\n", text=True, capture_output=True, cwd=ROOT, env=mfa_tenant["env"])
    assert made.returncode == 0, made.stderr
    return username


def _log_in(page, mfa_tenant, username: str) -> str:
    """Open the client's login link and type the password; answers the PKCE verifier for the code."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    query = {"response_type": "code", "client_id": "mfa-portal", "redirect_uri": mfa_tenant["callback"],
             "scope": "openid profile", "state": "st", "code_challenge": challenge, "code_challenge_method": "S256"}
    page.goto(f"{mfa_tenant['base']}/v1/tenants/{mfa_tenant['tenant']}/oidc/authorize?{urlencode(query)}")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return verifier


def _redeemed(page, mfa_tenant, verifier: str, username: str) -> None:
    """The browser is back at the client with a code, which the token endpoint turns into the user's tokens."""
    page.wait_for_url(f"{mfa_tenant['callback']}?*")
    code = parse_qs(urlsplit(page.url).query)["code"][0]
    tokens = requests.post(f"{mfa_tenant['base']}/v1/tenants/{mfa_tenant['tenant']}/oidc/token", timeout=10, data={
        "grant_type": "authorization_code", "code": code, "redirect_uri": mfa_tenant["callback"],
        "client_id": "mfa-portal", "code_verifier": verifier})
    assert tokens.status_code == 200, tokens.text
    me = requests.get(f"{mfa_tenant['base']}/v1/tenants/{mfa_tenant['tenant']}/auth/me", timeout=10,
                      headers={"Authorization": f"Bearer {tokens.json()['access_token']}"})
    assert me.json()["username"] == username


def _keep_codes_and_continue(page) -> None:
    expect(page.get_by_role("heading", name="Keep these recovery codes safe")).to_be_visible()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("button", name="I have kept them: continue").click()


def test_a_staff_user_cannot_skip_setting_up_an_authenticator_app_then_logs_in_with_its_code(
        page, mfa_tenant, screenshot):
    username = _staff_user(mfa_tenant, "sam.stock")
    _log_in(page, mfa_tenant, username)
    expect(page.get_by_role("heading", name="Protect your account with a second step")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "second-factor-set-up")
    # No way round it: the login API gives no token either, only the same step.
    api = requests.post(f"{mfa_tenant['base']}/v1/tenants/{mfa_tenant['tenant']}/auth/login", timeout=10,
                        json={"username": username, "password": PASSWORD})
    assert api.status_code == 403 and api.json()["code"] == "auth.second_factor_enrolment_required"
    verifier = _log_in(page, mfa_tenant, username)  # logging in again lands on the same page
    expect(page.get_by_role("heading", name="Protect your account with a second step")).to_be_visible()

    secret = page.locator("#totp-secret").inner_text()
    page.get_by_label("The 6-digit code the app now shows").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on and log in").click()
    _keep_codes_and_continue(page)
    _redeemed(page, mfa_tenant, verifier, username)

    verifier = _log_in(page, mfa_tenant, username)
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    next_step = datetime.now(timezone.utc) + timedelta(seconds=30)  # the set-up's code is spent
    page.get_by_label("The 6-digit code your authenticator app shows").fill(pyotp.TOTP(secret).at(next_step))
    page.get_by_role("button", name="Log in", exact=True).click()
    _redeemed(page, mfa_tenant, verifier, username)


def test_a_staff_user_sets_up_a_passkey_and_logs_in_with_it(page, mfa_tenant):
    devtools = page.context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]
    username = _staff_user(mfa_tenant, "pat.parts")

    verifier = _log_in(page, mfa_tenant, username)
    page.get_by_role("button", name="Set up a passkey").click()
    _keep_codes_and_continue(page)
    _redeemed(page, mfa_tenant, verifier, username)
    [credential] = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert credential["rpId"] == "localhost"

    verifier = _log_in(page, mfa_tenant, username)
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    page.get_by_role("button", name="Log in with your passkey").click()
    _redeemed(page, mfa_tenant, verifier, username)
    [used] = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert used["signCount"] > credential["signCount"]


def test_a_portal_user_sets_up_an_app_on_the_sign_in_security_page_and_a_staff_admin_removes_it(
        page, frontend, stack, documents_service, web_tenant, staff_login, staff_page, screenshot):
    """Under the frontend tenant's optional policy: the portal's own page sets the app up through identity's API,
    the next login on identity's page asks for its code, and the console removes it for a lost device."""
    setup = Setup(stack.url("identity"), stack.url("invitations"), documents_service.url("documents"), web_tenant,
                  staff_login, "")
    setup.customer("SAFE1", "Safe Hinges Ltd")
    user_id = setup.portal_user("SAFE1", "safe.buyer", ["Invoices"])["user_id"]
    setup.own_password("safe.buyer")
    portal_log_in(page, f"{frontend}/login", "safe.buyer", OWN)
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Sign-in security").click()
    expect(page.get_by_role("cell", name="Not set up")).to_be_visible()
    page.get_by_role("button", name="Set up an authenticator app").click()
    secret = page.locator("#totp-secret").inner_text()
    assert_accessible(page)
    screenshot(page, "32-portal-sign-in-security")
    page.get_by_label("The 6-digit code the app now shows").fill("000000")
    page.get_by_role("button", name="Turn on").click()
    expect(page.get_by_text("That code was not accepted")).to_be_visible()
    assert page.locator("#totp-secret").inner_text() == secret  # the same app, still being set up
    page.get_by_label("The 6-digit code the app now shows").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="Turn on").click()
    expect(page.locator("#recovery-codes li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them").click()
    expect(page.get_by_role("cell", name="10 left")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("heading", name="You have logged out")).to_be_visible()
    portal_log_in(page, f"{frontend}/login", "safe.buyer", OWN)
    expect(page.get_by_role("heading", name="One more step")).to_be_visible()
    next_step = datetime.now(timezone.utc) + timedelta(seconds=30)  # the set-up's code is spent
    page.get_by_label("The 6-digit code your authenticator app shows").fill(pyotp.TOTP(secret).at(next_step))
    page.get_by_role("button", name="Log in", exact=True).click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    staff = staff_page(staff_login)
    staff.goto(f"{frontend}/staff/users/{user_id}")
    staff.get_by_role("button", name="Remove safe.buyer's authenticator app").click()
    expect(staff.get_by_role("heading", name="Remove safe.buyer's authenticator app?")).to_be_visible()
    expect(staff.get_by_role("list", name="Who this concerns")).to_contain_text("safe.buyer (SAFE1)")
    staff.get_by_role("button", name="Yes, remove safe.buyer's authenticator app").click()
    expect(staff.get_by_text("safe.buyer's authenticator app is removed.")).to_be_visible()
    expect(staff.get_by_role("button", name="Remove safe.buyer's authenticator app")).to_have_count(0)
    page.get_by_role("button", name="Log out").click()
    portal_log_in(page, f"{frontend}/login", "safe.buyer", OWN)  # the password alone again
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
