"""Login against the real database and broker: who may log in, lockout, refresh rotation, expiry."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from identity.adapters.password_hasher import PasswordHasher

from .users_helpers import PASSWORD, active_user, bearer, events_of, link_token, log_in


def test_five_failures_lock_a_username_for_a_while_known_or_not_alike(
        identity_app, identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    user = active_user(identity, tenant, staff_headers(tenant))
    answers = {name: [log_in(identity, tenant, name, "wrong password!") for _ in range(5)]
               for name in ("john.smith", "nobody.here")}
    for name, tries in answers.items():
        assert [r.status_code for r in tries] == [401, 401, 401, 401, 429], name
        assert tries[0].json["code"] == "auth.invalid_credentials"
        assert tries[-1].json["code"] == "auth.temporarily_locked" and tries[-1].headers["Retry-After"] == "900"
    assert answers["john.smith"][0].json["detail"] == answers["nobody.here"][0].json["detail"]

    locked = log_in(identity, tenant)  # the right password, during the lock
    assert locked.status_code == 429
    assert locked.json["detail"] == log_in(identity, tenant, "nobody.here", PASSWORD).json["detail"]
    [event] = [e for e in events_of(infra, topic_prefix, tenant, f"user-{user['user_id']}", {"user.locked"})
               if e["type"] == "user.locked"]
    assert event["data"]["failed_attempts"] == 5

    security = identity_app.extensions["identity"].security
    real_now = security.now
    security.now = lambda: real_now() + timedelta(minutes=16)
    try:
        assert log_in(identity, tenant).status_code == 200
    finally:
        security.now = real_now


def test_a_password_stored_at_an_older_cost_still_logs_in_and_is_rehashed_at_the_configured_one(
        identity_app, identity, staff_headers, tenant):
    user = active_user(identity, tenant, staff_headers(tenant))
    service = identity_app.extensions["identity"]
    cost = service.config
    configured = f"m={cost['ARGON2_MEMORY_COST_KIB']},t={cost['ARGON2_TIME_COST']},p={cost['ARGON2_PARALLELISM']}$"
    older = PasswordHasher(2, 19 * 1024, 1).hash(PASSWORD)  # the default before Keycloak's cost
    assert configured not in older

    def stored() -> str:
        with service.pool.connection() as conn:
            return conn.execute("SELECT password_hash FROM password_credentials WHERE tenant_id = %s AND user_id = %s",
                                (tenant, user["user_id"])).fetchone()["password_hash"]

    with service.pool.connection() as conn:
        conn.execute("UPDATE password_credentials SET password_hash = %s WHERE tenant_id = %s AND user_id = %s",
                     (older, tenant, user["user_id"]))
    assert log_in(identity, tenant).status_code == 200
    rehashed = stored()
    assert rehashed != older and configured in rehashed and rehashed.startswith("$argon2id$")
    assert log_in(identity, tenant, password="wrong password!").status_code == 401
    assert log_in(identity, tenant).status_code == 200 and stored() == rehashed  # rehashed once, not at every login


def test_pending_disabled_and_deleted_users_cannot_log_in(identity, staff_headers, tenant):
    staff = staff_headers(tenant, role="in-house")
    user = active_user(identity, tenant, staff)
    url = f"/v1/tenants/{tenant}/users/{user['user_id']}"
    session = log_in(identity, tenant).json

    assert identity.post(f"{url}/disable", json={"reason": "left"}, headers=staff).json["status"] == "disabled"
    refused = log_in(identity, tenant)
    assert refused.status_code == 403 and refused.json["code"] == "auth.account_not_active"
    assert "disabled" in refused.json["detail"]
    assert identity.post(f"/v1/tenants/{tenant}/auth/refresh",
                         json={"refresh_token": session["refresh_token"]}).status_code == 401
    assert log_in(identity, tenant, password="wrong password!").json["code"] == "auth.invalid_credentials"

    assert identity.post(f"{url}/enable", headers=staff).json["status"] == "active"
    assert log_in(identity, tenant).status_code == 200
    assert identity.post(f"{url}/delete", headers=staff).json["status"] == "deleted"
    assert log_in(identity, tenant).json["code"] == "auth.invalid_credentials"


def test_a_refresh_token_works_once_and_its_replay_revokes_the_family(identity, staff_headers, tenant):
    active_user(identity, tenant, staff_headers(tenant))
    first = log_in(identity, tenant).json
    url = f"/v1/tenants/{tenant}/auth/refresh"
    second = identity.post(url, json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200 and second.json["refresh_token"] != first["refresh_token"]

    replay = identity.post(url, json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json["code"] == "auth.refresh_token_invalid"
    assert identity.post(url, json={"refresh_token": second.json["refresh_token"]}).status_code == 401
    # a replay means the session was stolen: its access tokens are void at once too
    assert identity.get(f"/v1/tenants/{tenant}/auth/me", headers=bearer(second)).json["code"] == "auth.token_revoked"


def test_an_access_token_carries_the_claims_of_rfc_9068(identity, staff_headers, tenant):
    import jwt

    active_user(identity, tenant, staff_headers(tenant))
    token = log_in(identity, tenant).json["access_token"]
    claims = jwt.decode(token, options={"verify_signature": False})
    assert jwt.get_unverified_header(token)["typ"] == "at+jwt"
    assert {"iss", "exp", "aud", "sub", "client_id", "iat", "jti"} <= set(claims)
    assert claims["client_id"] == "portico-login"


def test_an_expired_or_foreign_token_is_refused_with_401_or_403(identity_app, identity, staff_headers, tenant):
    assert identity.get(f"/v1/tenants/{tenant}/customers/ACME01").status_code == 401
    missing = identity.get(f"/v1/tenants/{tenant}/users")
    assert missing.json["code"] == "auth.token_missing" and missing.headers["WWW-Authenticate"].startswith("Bearer")
    signer = identity_app.extensions["identity"].security.signer
    old = signer.issue("someone", {"tenant": tenant, "preferred_username": "x", "user_type": "staff",
                                   "staff_roles": ["in-house"]}, datetime.now(timezone.utc) - timedelta(hours=1))
    expired = identity.get(f"/v1/tenants/{tenant}/users", headers={"Authorization": f"Bearer {old}"})
    assert expired.status_code == 401 and expired.json["code"] == "auth.token_expired"
    assert 'error="invalid_token"' in expired.headers["WWW-Authenticate"]
    forged = staff_headers(tenant)["Authorization"][:-4] + "AAAA"
    assert identity.get(f"/v1/tenants/{tenant}/users", headers={"Authorization": forged}).json["code"] == \
        "auth.token_invalid"
    other = identity.get(f"/v1/tenants/{tenant}/users", headers=staff_headers("another-tenant"))
    assert other.status_code == 403 and other.json["code"] == "auth.wrong_tenant"


def test_forgot_password_answers_alike_and_the_reset_link_expires(
        identity_app, identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    user = active_user(identity, tenant, staff_headers(tenant))
    url = f"/v1/tenants/{tenant}/auth/forgot-password"
    known = identity.post(url, json={"username": "john.smith"})
    unknown = identity.post(url, json={"username": "no.such.user"})
    assert (known.status_code, known.json) == (unknown.status_code, unknown.json) == (202, known.json)

    [event] = [e for e in events_of(infra, topic_prefix, tenant, f"user-{user['user_id']}",
                                    {"user.password_reset_requested"}) if e["type"] == "user.password_reset_requested"]
    assert "john@acme.example" not in str(event["data"])  # sealed for the user on Kafka (issue 17)
    service = identity_app.extensions["identity"]
    with service.pool.connection() as conn:
        [stored] = [e for e in service.store.read_stream(conn, f"user-{user['user_id']}")
                    if e.type.endswith("user.password_reset_requested")]
    assert stored.data["emails"] == ["john@acme.example"]  # identity opens it
    token, reset = link_token(event), f"/v1/tenants/{tenant}/auth/set-password"
    security = identity_app.extensions["identity"].security
    real_now = security.now
    security.now = lambda: real_now() + timedelta(hours=24, seconds=1)
    try:
        late = identity.post(reset, json={"token": token, "password": "a new passphrase"})
    finally:
        security.now = real_now
    assert late.status_code == 400 and late.json["code"] == "password.link_invalid"
    fresh = identity.post(reset, json={"token": token, "password": "a new passphrase"})
    assert fresh.status_code == 204
    assert log_in(identity, tenant, password="a new passphrase").status_code == 200
