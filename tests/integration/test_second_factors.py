"""Second factors through the login API (issue 19), against the real database and broker: setting up an
authenticator app, logging in with it or a recovery code, the policy, lockout, removal, the events."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pyotp

from ..fixtures.notifications import text_of
from .notification_helpers import arrived
from .users_helpers import active_user, events_of, log_in


def _logged_in(identity, tenant, staff, **fields) -> dict:
    """An active john.smith and his first login's answer (tokens and user)."""
    active_user(identity, tenant, staff, **fields)
    answer = log_in(identity, tenant)
    assert answer.status_code == 200, answer.json
    return answer.json


def _code(secret: str, offset_steps: int = 0) -> str:
    return pyotp.TOTP(secret).at(datetime.now(timezone.utc) + timedelta(seconds=30 * offset_steps))


def _set_up_app(identity, tenant, **who):
    """Start and confirm an authenticator app, as the access token's user or during a login (body with its
    login_token); (secret, answer of the confirmation)."""
    url = f"/v1/tenants/{tenant}/auth/second-factor/{'enrolment/' if 'body' in who else ''}totp"
    started = identity.post(url, json=who.get("body", {}), headers=who.get("headers", {}))
    assert started.status_code == 201, started.json
    assert started.json["otpauth_uri"].startswith("otpauth://totp/") and "<svg" in started.json["qr_svg"]
    wrong = identity.post(f"{url}/confirm", json={**who.get("body", {}), "code": "000000"}, headers=who.get("headers", {}))
    assert wrong.status_code == 400 and wrong.json["errors"][0]["field"] == "code", wrong.json
    confirmed = identity.post(f"{url}/confirm", json={**who.get("body", {}), "code": _code(started.json["secret"])},
                              headers=who.get("headers", {}))
    assert confirmed.status_code == 200, confirmed.json
    return started.json["secret"], confirmed.json


def test_an_authenticator_app_makes_the_login_ask_for_its_code_and_a_recovery_code_works_once(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    session = _logged_in(identity, tenant, staff_headers(tenant))
    user_id = session["user"]["user_id"]
    secret, confirmed = _set_up_app(identity, tenant, headers=bearer_of(session))
    assert confirmed["second_factors"] == ["totp"] and len(confirmed["recovery_codes"]) == 10
    assert confirmed["tokens"] is None

    step = log_in(identity, tenant)
    assert step.status_code == 403 and step.json["code"] == "auth.second_factor_required", step.json
    assert step.json["methods"] == ["totp", "recovery_code"] and "access_token" not in step.json
    verify = f"/v1/tenants/{tenant}/auth/second-factor/verify"
    # The code the confirmation used is spent (RFC 6238 5.2); the next step's code is not.
    assert identity.post(verify, json={"login_token": step.json["login_token"], "code": _code(secret)}).status_code == 401
    tokens = identity.post(verify, json={"login_token": step.json["login_token"], "code": _code(secret, 1)})
    assert tokens.status_code == 200 and tokens.json["user"]["second_factors"] == ["totp"], tokens.json
    assert identity.post(verify, json={"login_token": step.json["login_token"], "code": _code(secret, 1)}).json[
        "code"] == "auth.login_token_invalid"  # one login per token

    recovery = confirmed["recovery_codes"][0]
    again = log_in(identity, tenant).json["login_token"]
    assert identity.post(verify, json={"login_token": again, "recovery_code": recovery.upper()}).status_code == 200
    once_more = log_in(identity, tenant).json["login_token"]
    spent = identity.post(verify, json={"login_token": once_more, "recovery_code": recovery})
    assert spent.status_code == 401 and spent.json["errors"][0]["field"] == "recovery_code"

    events = events_of(infra, topic_prefix, tenant, f"user-{user_id}",
                       {"user.second_factor_enrolled", "user.recovery_code_used"})
    [used] = [e for e in events if e["type"] == "user.recovery_code_used"]
    assert used["data"]["remaining"] == 9
    assert secret not in str(events) and recovery.replace("-", "") not in str(events).replace("-", "")


def bearer_of(session: dict) -> dict:
    return {"Authorization": f"Bearer {session['access_token']}"}


def test_wrong_codes_count_with_wrong_passwords_and_lock_the_username(identity, staff_headers, tenant):
    session = _logged_in(identity, tenant, staff_headers(tenant))
    secret, _ = _set_up_app(identity, tenant, headers=bearer_of(session))
    verify = f"/v1/tenants/{tenant}/auth/second-factor/verify"
    assert log_in(identity, tenant, password="wrong password!").status_code == 401
    token = log_in(identity, tenant).json["login_token"]  # the right password does not wipe the count
    answers = [identity.post(verify, json={"login_token": token, "code": "123456"}) for _ in range(4)]
    assert [a.status_code for a in answers] == [401, 401, 401, 429], [a.json for a in answers]
    assert identity.post(verify, json={"login_token": token, "code": _code(secret, 1)}).status_code == 429
    assert log_in(identity, tenant).status_code == 429


def test_a_required_policy_makes_the_login_set_up_an_app_before_any_token(identity, staff_headers, tenant):
    admin = staff_headers(tenant)
    active_user(identity, tenant, admin)
    changed = identity.put(f"/v1/tenants/{tenant}/settings", json={"second_factor_policy": "required_for_everyone"},
                           headers=admin)
    assert changed.status_code == 200 and changed.json["second_factor_policy"] == "required_for_everyone"
    assert identity.put(f"/v1/tenants/{tenant}/settings", json={"second_factor_policy": "sometimes"},
                        headers=admin).json["errors"][0]["field"] == "second_factor_policy"

    step = log_in(identity, tenant)
    assert step.status_code == 403 and step.json["code"] == "auth.second_factor_enrolment_required", step.json
    secret, confirmed = _set_up_app(identity, tenant, body={"login_token": step.json["login_token"]})
    assert confirmed["tokens"]["user"]["second_factors"] == ["totp"] and confirmed["tokens"]["access_token"]

    removal = identity.delete(f"/v1/tenants/{tenant}/auth/second-factor/totp",
                              headers={"Authorization": f"Bearer {confirmed['tokens']['access_token']}"})
    assert removal.status_code == 409 and removal.json["code"] == "second_factor.required_by_policy"


def test_removing_the_app_ends_the_second_step(identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    session = _logged_in(identity, tenant, staff_headers(tenant))
    _set_up_app(identity, tenant, headers=bearer_of(session))
    url = f"/v1/tenants/{tenant}/auth/second-factor"
    assert identity.get(url, headers=bearer_of(session)).json == {
        "methods": ["totp"], "passkeys": 0, "recovery_codes_left": 10, "policy": "optional"}
    assert identity.delete(f"{url}/totp", headers=bearer_of(session)).status_code == 204
    assert identity.get(url, headers=bearer_of(session)).json["recovery_codes_left"] == 0
    assert log_in(identity, tenant).status_code == 200
    events_of(infra, topic_prefix, tenant, f"user-{session['user']['user_id']}", {"user.second_factor_removed"})


def test_new_recovery_codes_replace_the_old_ones_and_need_a_second_factor(identity, staff_headers, tenant):
    session = _logged_in(identity, tenant, staff_headers(tenant))
    url = f"/v1/tenants/{tenant}/auth/second-factor/recovery-codes"
    none_yet = identity.post(url, headers=bearer_of(session))
    assert none_yet.status_code == 409, none_yet.json
    _, confirmed = _set_up_app(identity, tenant, headers=bearer_of(session))
    fresh = identity.post(url, headers=bearer_of(session))
    assert fresh.status_code == 201 and fresh.headers["Cache-Control"] == "no-store", fresh.json
    assert len(set(fresh.json["recovery_codes"])) == 10
    assert not set(fresh.json["recovery_codes"]) & set(confirmed["recovery_codes"])
    verify = f"/v1/tenants/{tenant}/auth/second-factor/verify"
    old = identity.post(verify, json={"login_token": log_in(identity, tenant).json["login_token"],
                                      "recovery_code": confirmed["recovery_codes"][0]})
    assert old.status_code == 401, old.json
    new = identity.post(verify, json={"login_token": log_in(identity, tenant).json["login_token"],
                                      "recovery_code": fresh.json["recovery_codes"][0]})
    assert new.status_code == 200, new.json


def test_in_house_staff_remove_a_users_app_for_a_lost_device_and_the_login_asks_to_set_one_up_again(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    admin = staff_headers(tenant)
    session = _logged_in(identity, tenant, admin)
    _set_up_app(identity, tenant, headers=bearer_of(session))
    identity.put(f"/v1/tenants/{tenant}/settings", json={"second_factor_policy": "required_for_everyone"},
                 headers=admin)
    url = f"/v1/tenants/{tenant}/users/{session['user']['user_id']}/second-factors/totp"
    assert identity.delete(url, headers=staff_headers(tenant, role="sales-rep")).status_code == 403
    assert identity.delete(url, headers=staff_headers(tenant, role="in-house")).status_code == 204
    assert log_in(identity, tenant).json["code"] == "auth.second_factor_enrolment_required"
    [removed] = [e for e in events_of(infra, topic_prefix, tenant, f"user-{session['user']['user_id']}",
                                      {"user.second_factor_removed"}) if e["type"] == "user.second_factor_removed"]
    assert removed["data"]["removed_by"] == "staff"


def test_setting_up_an_app_is_announced_to_the_user_by_email(identity, notifications, pipeline, mail, tenant,
                                                              staff_headers):
    address = f"john@{tenant}.example"
    session = _logged_in(identity, tenant, staff_headers(tenant), emails=address)
    secret, _ = _set_up_app(identity, tenant, headers=bearer_of(session))
    [notice] = arrived(mail, address, "second_factor_changed")
    assert "An authenticator app was set up for logging in to your account." in text_of(notice)
    assert secret not in notice.as_string()
