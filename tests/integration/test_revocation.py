"""Revocation takes effect at once (issue 14): every service decides from the caller's current state, not
from the claims of a token that lives five minutes. A disabled, deleted or logged-out user's still-valid
token is refused everywhere (401 auth.token_revoked): in identity at once, in the other services as soon
as identity's event is applied; a demoted user acts with its new roles; nobody changes their own status
or roles, only a system administrator removes one, and never the tenant's last."""
from __future__ import annotations

import threading

from ..conftest import eventually
from .users_helpers import PASSWORD, bearer, log_in

NEW_PASSWORD = PASSWORD + " staple"
WAIT = 60


def staff_login(identity, tenant, admin, username, roles, sales_rep=None) -> tuple[str, dict]:
    """A real staff user, created by an administrator with an initial password it changes at first login."""
    created = identity.post(f"/v1/tenants/{tenant}/staff-users", headers=admin, json={
        "username": username, "name": username.title(), "emails": f"{username}@distributor.example",
        "roles": roles, "sales_rep": sales_rep, "initial_password": PASSWORD})
    assert created.status_code == 201, created.json
    tokens = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": username, "password": PASSWORD, "new_password": NEW_PASSWORD})
    assert tokens.status_code == 200, tokens.json
    return created.json["user_id"], tokens.json


def _headers(tokens: dict) -> dict:
    return {"Authorization": f"Bearer {tokens['access_token']}"}


def reads(identity, invitations, notifications, documents, tenant):
    """One read of each service that an in-house user may make."""
    base = f"/v1/tenants/{tenant}"
    return {"identity": lambda h: identity.get(f"{base}/auth/me", headers=h),
            "invitations": lambda h: invitations.get(f"{base}/invitation-settings", headers=h),
            "notifications": lambda h: notifications.get(f"{base}/deliveries", headers=h),
            "documents": lambda h: documents.get(f"{base}/documents", headers=h)}


def answered(read, headers, status: int, code: str | None = None):
    r = read(headers)
    assert r.status_code == status, (r.status_code, r.get_json())
    assert code is None or r.json["code"] == code, r.json


def test_a_disabled_staff_users_token_is_refused_at_once_everywhere_and_cannot_enable_itself(
        identity, invitations, notifications, documents, pipeline, staff_headers, tenant):
    admin = staff_headers(tenant)
    ina_id, ina = staff_login(identity, tenant, admin, "ina", ["in-house"])
    services = reads(identity, invitations, notifications, documents, tenant)
    for read in services.values():
        eventually(lambda: answered(read, _headers(ina), 200), timeout=WAIT)

    itself = identity.post(f"/v1/tenants/{tenant}/users/{ina_id}/disable", headers=_headers(ina))
    assert itself.status_code == 403 and itself.json["code"] == "auth.not_yourself"
    assert identity.post(f"/v1/tenants/{tenant}/users/{ina_id}/disable", headers=admin).status_code == 200

    answered(services["identity"], _headers(ina), 401, "auth.token_revoked")
    again = identity.post(f"/v1/tenants/{tenant}/users/{ina_id}/enable", headers=_headers(ina))
    assert again.status_code == 401 and again.json["code"] == "auth.token_revoked"
    assert 'error="invalid_token"' in again.headers["WWW-Authenticate"]
    for name, read in services.items():
        eventually(lambda: answered(read, _headers(ina), 401, "auth.token_revoked"), timeout=WAIT)


def test_a_logged_out_sessions_access_token_is_refused_everywhere_while_another_session_goes_on(
        identity, invitations, notifications, documents, pipeline, staff_headers, tenant):
    _, first = staff_login(identity, tenant, staff_headers(tenant), "olga", ["in-house"])
    second = log_in(identity, tenant, "olga", NEW_PASSWORD)
    assert second.status_code == 200
    services = reads(identity, invitations, notifications, documents, tenant)
    for read in services.values():
        eventually(lambda: answered(read, _headers(first), 200), timeout=WAIT)

    logout = identity.post(f"/v1/tenants/{tenant}/auth/logout", json={"refresh_token": first["refresh_token"]})
    assert logout.status_code == 204
    answered(services["identity"], _headers(first), 401, "auth.token_revoked")
    for read in services.values():
        eventually(lambda: answered(read, _headers(first), 401, "auth.token_revoked"), timeout=WAIT)
        answered(read, bearer(second), 200)  # the other login of the same user is not ended


def test_a_deleted_or_demoted_system_administrator_loses_its_power_while_its_token_is_valid(
        identity, notifications, pipeline, staff_headers, tenant):
    admin = staff_headers(tenant)
    _, sam = staff_login(identity, tenant, admin, "sam", ["system-administrator"])
    sue_id, sue = staff_login(identity, tenant, admin, "sue", ["system-administrator"])
    deliveries = f"/v1/tenants/{tenant}/deliveries"
    eventually(lambda: answered(lambda h: notifications.get(deliveries, headers=h), _headers(sue), 200), timeout=WAIT)
    body = {"username": "mallory", "name": "Mallory", "emails": "m@distributor.example",
            "roles": ["system-administrator"], "initial_password": PASSWORD}

    demoted = identity.put(f"/v1/tenants/{tenant}/staff-users/{sue_id}/roles", headers=_headers(sam),
                           json={"roles": ["sales-rep"], "sales_rep": "rep-9"})
    assert demoted.status_code == 200, demoted.json
    refused = identity.post(f"/v1/tenants/{tenant}/staff-users", headers=_headers(sue), json=body)
    assert refused.status_code == 403 and refused.json["code"] == "auth.system_administrator_only"
    eventually(lambda: answered(lambda h: notifications.get(deliveries, headers=h), _headers(sue), 403,
                                "auth.in_house_only"), timeout=WAIT)

    sam_id = identity.get(f"/v1/tenants/{tenant}/auth/me", headers=_headers(sam)).json["user_id"]
    assert identity.post(f"/v1/tenants/{tenant}/users/{sam_id}/delete", headers=admin).status_code == 409
    _, ada = staff_login(identity, tenant, admin, "ada", ["system-administrator"])
    assert identity.post(f"/v1/tenants/{tenant}/users/{sam_id}/delete", headers=_headers(ada)).status_code == 200
    deleted = identity.post(f"/v1/tenants/{tenant}/staff-users", headers=_headers(sam), json=body)
    assert deleted.status_code == 401 and deleted.json["code"] == "auth.token_revoked"


def test_only_a_system_administrator_removes_one_and_never_the_last_nor_itself(
        identity, identity_app, staff_headers, tenant):
    admin = staff_headers(tenant)
    sam_id, sam = staff_login(identity, tenant, admin, "sam", ["system-administrator"])
    _, ina = staff_login(identity, tenant, admin, "ina", ["in-house"])
    users = f"/v1/tenants/{tenant}/users"

    by_in_house = identity.post(f"{users}/{sam_id}/disable", headers=_headers(ina))
    assert by_in_house.status_code == 403 and by_in_house.json["code"] == "auth.system_administrator_only"
    for action in ("disable", "delete"):
        own = identity.post(f"{users}/{sam_id}/{action}", headers=_headers(sam))
        assert own.status_code == 403 and own.json["code"] == "auth.not_yourself"
    own_roles = identity.put(f"/v1/tenants/{tenant}/staff-users/{sam_id}/roles", headers=_headers(sam),
                             json={"roles": ["in-house"], "sales_rep": None})
    assert own_roles.status_code == 403 and own_roles.json["code"] == "auth.not_yourself"
    last = identity.post(f"{users}/{sam_id}/disable", headers=admin)
    assert last.status_code == 409 and last.json["code"] == "user.last_system_administrator"
    demote_last = identity.put(f"/v1/tenants/{tenant}/staff-users/{sam_id}/roles", headers=admin,
                               json={"roles": ["in-house"], "sales_rep": None})
    assert demote_last.status_code == 409 and demote_last.json["code"] == "user.last_system_administrator"

    # Two administrators removing each other at the same moment: one wins, the tenant keeps the other.
    sue_id, sue = staff_login(identity, tenant, admin, "sue", ["system-administrator"])
    start, answers = threading.Barrier(2), {}

    def disable(name, who, target):
        client = identity_app.test_client()
        start.wait()
        answers[name] = client.post(f"{users}/{target}/disable", headers=_headers(who)).status_code

    threads = [threading.Thread(target=disable, args=("sam", sam, sue_id)),
               threading.Thread(target=disable, args=("sue", sue, sam_id))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers.values()) in ([200, 401], [200, 409]), answers
    statuses = {u: identity.get(f"{users}/{u}", headers=admin).json["status"] for u in (sam_id, sue_id)}
    assert sorted(statuses.values()) == ["active", "disabled"], statuses
