"""The sign-in security pages without the services (issue 19): removing a factor, one's own or a user's for a
lost device, asks first and names it; a wrong first code shows the same app again; the staff login's second step
sends the code with the login's token. identity's API is faked at frontend.api (its own tests are integration)."""
from __future__ import annotations

import time
import uuid

import pytest

from frontend import api
from frontend.app import create_app

STAFF = {"user_type": "staff", "username": "clerk", "roles": ["in-house"]}
PORTAL = {"user_type": "portal", "username": "acme.buyer", "roles": [], "areas": []}
FACTORS = {"methods": ["totp"], "passkeys": 0, "recovery_codes_left": 7, "policy": "optional"}
SETUP = {"secret": "JBSWY3DPEHPK3PXP", "otpauth_uri": "otpauth://totp/x", "qr_svg": "<svg class=\"qr\"></svg>"}


class Calls(list):
    def __init__(self):
        super().__init__()
        self.answers, self.posted = {"/auth/second-factor": FACTORS}, {}


@pytest.fixture
def calls(monkeypatch):
    """Every call to identity as (method, path, body); GET answers come from `answers`, the rest from `posted`."""
    made = Calls()

    def call(service, method, path, **kwargs):
        made.append((method, path, kwargs.get("json")))
        answer = made.posted.get(path, {})
        if isinstance(answer, api.ApiProblem):
            raise answer
        return answer

    monkeypatch.setattr(api, "get", lambda service, path, **kw: made.answers.get(path, {}))
    monkeypatch.setattr(api, "post", lambda service, path, body=None, **kw: call(service, "POST", path, json=body))
    monkeypatch.setattr(api, "call", call)
    return made


def client_of(user: dict | None):
    client = create_app({"SECRET_KEY": "unit-test-secret"}).test_client()
    with client.session_transaction() as s:
        s["csrf"] = "c"
        if user:
            s.update(user=user, access_token="t", refresh_token=None, expires_at=time.time() + 300)
    return client


@pytest.mark.parametrize("user, prefix", [(PORTAL, ""), (STAFF, "/staff")])
def test_removing_ones_own_app_asks_first_then_removes_it(calls, user, prefix):
    client = client_of(user)
    asked = client.post(f"{prefix}/sign-in-security/remove/totp", data={"csrf_token": "c"}).get_data(as_text=True)
    assert "Remove your authenticator app?" in asked and "7 recovery codes stop working" in asked
    assert not [c for c in calls if c[0] == "DELETE"]
    done = client.post(f"{prefix}/sign-in-security/remove/totp", data={"csrf_token": "c", "confirmed": "yes"})
    assert done.status_code == 302 and ("DELETE", "/auth/second-factor/totp", None) in calls


def test_a_wrong_first_code_shows_the_same_app_again_in_words(calls):
    calls.posted["/auth/second-factor/totp"] = SETUP
    calls.posted["/auth/second-factor/totp/confirm"] = api.ApiProblem(400, "second_factor.code_invalid", "x")
    page = client_of(PORTAL).post("/sign-in-security/app/confirm", data={"csrf_token": "c", "code": "000000"})
    text = page.get_data(as_text=True)
    assert page.status_code == 422 and "That code was not accepted" in text and SETUP["secret"] in text


def test_a_right_first_code_shows_the_recovery_codes_once(calls):
    calls.posted["/auth/second-factor/totp/confirm"] = {"second_factors": ["totp"], "recovery_codes": ["aaaa-bbbb"]}
    page = client_of(STAFF).post("/staff/sign-in-security/app/confirm", data={"csrf_token": "c", "code": "123456"})
    assert "aaaa-bbbb" in page.get_data(as_text=True)
    assert ("POST", "/auth/second-factor/totp/confirm", {"code": "123456"}) in calls


def test_staff_remove_a_users_app_for_a_lost_device_once_asked_naming_who_and_which(calls):
    user_id = uuid.uuid4()
    calls.answers[f"/users/{user_id}"] = {"user_id": str(user_id), "username": "ann.buyer", "customer_code": "ACME",
                                          "second_factors": ["totp"]}
    client = client_of(STAFF)
    url = f"/staff/users/{user_id}/second-factors/totp/remove"
    asked = client.post(url, data={"csrf_token": "c"}).get_data(as_text=True)
    assert "Remove ann.buyer&#39;s authenticator app?" in asked and "ann.buyer (ACME): authenticator app" in asked
    assert not [c for c in calls if c[0] == "DELETE"]
    client.post(url, data={"csrf_token": "c", "confirmed": "yes"})
    assert ("DELETE", f"/users/{user_id}/second-factors/totp", None) in calls


def test_the_staff_login_asks_for_the_second_step_and_sends_it_with_the_logins_token(calls):
    calls.posted["/auth/login"] = api.ApiProblem(403, "auth.second_factor_required", "x", [],
                                                 {"login_token": "lt-1", "methods": ["totp", "recovery_code"]})
    calls.posted["/auth/second-factor/verify"] = {"access_token": "a", "expires_in": 300, "user": STAFF}
    client = client_of(None)
    step = client.post("/staff/login", data={"csrf_token": "c", "username": "clerk", "password": "p"})
    assert "One more step" in step.get_data(as_text=True) and 'value="lt-1"' in step.get_data(as_text=True)
    done = client.post("/staff/login/second-step", data={"csrf_token": "c", "login_token": "lt-1", "code": "123456"})
    assert done.status_code == 302
    assert ("POST", "/auth/second-factor/verify", {"login_token": "lt-1", "code": "123456"}) in calls


def test_a_staff_login_the_policy_stops_sets_up_an_app_then_shows_the_recovery_codes(calls):
    calls.posted["/auth/login"] = api.ApiProblem(403, "auth.second_factor_enrolment_required", "x", [],
                                                 {"login_token": "lt-2"})
    calls.posted["/auth/second-factor/enrolment/totp"] = SETUP
    calls.posted["/auth/second-factor/enrolment/totp/confirm"] = {
        "recovery_codes": ["cccc-dddd"], "tokens": {"access_token": "a", "expires_in": 300, "user": STAFF}}
    client = client_of(None)
    step = client.post("/staff/login", data={"csrf_token": "c", "username": "clerk", "password": "p"})
    assert SETUP["secret"] in step.get_data(as_text=True) and 'value="lt-2"' in step.get_data(as_text=True)
    done = client.post("/staff/login/set-up", data={"csrf_token": "c", "login_token": "lt-2", "code": "123456"})
    assert "cccc-dddd" in done.get_data(as_text=True)
    assert ("POST", "/auth/second-factor/enrolment/totp/confirm", {"login_token": "lt-2", "code": "123456"}) in calls
    assert client.get("/staff/sign-in-security").status_code == 200  # logged in now
