"""Second factors on identity's OpenID Connect login page (issue 19), driven as a browser would with plain
form posts: a required policy makes the user set up an authenticator app before any code goes to the client,
the recovery codes are shown once, and the next login asks for the app's code."""
from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone

import pyotp

import jwt

from .test_oidc import CALLBACK, _authorize, _code, _pkce, _portal_user, _register, _token


def _form(page) -> dict:
    return {"csrf": re.search(r'name="csrf" value="([^"]+)"', page.text).group(1),
            "login_token": re.search(r'name="login_token" value="([^"]+)"', page.text).group(1)}


def _now_code(secret: str, steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(timezone.utc) + timedelta(seconds=30 * steps))


def _amr(identity, tenant, code: str, verifier: str) -> list[str]:
    """How the ID token says the user logged in (RFC 8176's amr values)."""
    tokens = _token(identity, tenant, grant_type="authorization_code", code=code, client_id="portal-web",
                    redirect_uri=CALLBACK, code_verifier=verifier).json
    return jwt.decode(tokens["id_token"], options={"verify_signature": False})["amr"]


def test_a_required_second_factor_is_set_up_on_the_login_page_before_the_client_gets_a_code(
        identity, staff_headers, tenant):
    admin = staff_headers(tenant)
    _portal_user(identity, tenant, admin)
    _register(identity, tenant, admin)
    assert identity.put(f"/v1/tenants/{tenant}/settings", json={"second_factor_policy": "required_for_everyone"},
                        headers=admin).status_code == 200
    verifier, challenge = _pkce()

    set_up = _authorize(identity, tenant, challenge=challenge)
    assert set_up.status_code == 200 and "Protect your account with a second step" in set_up.text
    assert "<svg" in set_up.text and "/v1/" not in set_up.text and "Location" not in set_up.headers
    secret = re.search(r'id="totp-secret">([A-Z2-7]+)<', set_up.text).group(1)
    url = set_up.request.url
    wrong = identity.post(url, data={**_form(set_up), "step": "set_up_app", "code": "000000"})
    assert wrong.status_code == 400 and "does not match" in wrong.text
    assert secret in wrong.text  # the same key: the app scanned already stays right

    codes = identity.post(url, data={**_form(set_up), "step": "set_up_app", "code": _now_code(secret)})
    assert codes.status_code == 200 and "Keep these recovery codes safe" in codes.text
    assert len(re.findall(r"<li>[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}-[a-z2-7]{4}</li>", codes.text)) == 10
    code = _code(identity.post(url, data={**_form(codes), "step": "continue"}))
    assert _amr(identity, tenant, code, verifier) == ["pwd", "otp", "mfa"]

    asked = _authorize(identity, tenant, challenge=challenge)
    assert asked.status_code == 200 and "The 6-digit code your authenticator app shows" in asked.text
    refused = identity.post(url, data={**_form(asked), "step": "code", "code": "123456"})
    assert refused.status_code == 401 and "not right" in refused.text
    code = _code(identity.post(url, data={**_form(refused), "step": "code", "code": _now_code(secret, 1)}))
    assert _amr(identity, tenant, code, verifier) == ["pwd", "otp", "mfa"]
    replayed = identity.post(url, data={**_form(refused), "step": "code", "code": _now_code(secret, 1)})
    assert replayed.status_code == 401 and "Please log in again" in replayed.text
