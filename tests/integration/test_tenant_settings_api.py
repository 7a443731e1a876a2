"""Tenant settings over HTTP, stored as events in identity's real database; the portal bulletin (seed 003)."""
from __future__ import annotations

import pytest

import contracts
from eventkit.envelope import Metadata, NewEvent
from eventkit.store import StreamAppend

from .test_openapi import _validate, document
from .users_helpers import PASSWORD, add_customer, create_user, events_of

WELCOME = "Welcome to the Acme Tools portal!\nOrders placed by 2 pm ship the same day."


def test_settings_start_at_their_defaults(identity, staff_headers, tenant):
    response = identity.get(f"/v1/tenants/{tenant}/settings", headers=staff_headers(tenant))
    assert response.status_code == 200
    assert response.json == {"allow_personal_account_registration": True,
                             "allow_sales_reps_to_create_users": False, "bulletin": None,
                             "second_factor_policy": "optional", "version": 0}


def test_put_changes_only_the_named_settings_and_repeating_it_changes_nothing(identity, staff_headers, tenant):
    url = f"/v1/tenants/{tenant}/settings"
    first = identity.put(url, json={"allow_sales_reps_to_create_users": True}, headers=staff_headers(tenant))
    again = identity.put(url, json={"allow_sales_reps_to_create_users": True}, headers=staff_headers(tenant))

    assert first.status_code == 200 and first.json["version"] == 1
    assert again.json == first.json
    assert identity.get(url, headers=staff_headers(tenant)).json == {
        "allow_personal_account_registration": True, "allow_sales_reps_to_create_users": True, "bulletin": None,
        "second_factor_policy": "optional", "version": 1}


def test_a_setting_that_is_not_a_boolean_or_not_a_setting_gets_a_problem(identity, staff_headers, tenant):
    response = identity.put(f"/v1/tenants/{tenant}/settings", headers=staff_headers(tenant),
                            json={"allow_personal_account_registration": "no", "allow_pets": True})
    assert response.status_code == 400 and response.json["code"] == "request.invalid"
    assert {e["field"] for e in response.json["errors"]} == {"allow_personal_account_registration", "allow_pets"}


def test_a_stale_expected_version_gets_409(identity, staff_headers, tenant):
    url = f"/v1/tenants/{tenant}/settings"
    identity.put(url, json={"allow_personal_account_registration": False}, headers=staff_headers(tenant))
    stale = identity.put(url, json={"allow_personal_account_registration": True, "expected_version": 0},
                         headers=staff_headers(tenant))
    assert stale.status_code == 409 and stale.json["code"] == "stream.version_conflict"


@pytest.fixture
def portal_headers(identity, staff_headers, tenant):
    """A real portal user of the tenant, logged in: its access token's headers."""
    staff = staff_headers(tenant)
    add_customer(identity, tenant, staff)
    assert create_user(identity, tenant, staff, initial_password="Initial pass 2026").status_code == 201
    logged_in = identity.post(f"/v1/tenants/{tenant}/auth/password", json={
        "username": "john.smith", "password": "Initial pass 2026", "new_password": PASSWORD})
    assert logged_in.status_code == 200, logged_in.json
    return {"Authorization": f"Bearer {logged_in.json['access_token']}"}


def set_bulletin(identity, tenant, headers, text):
    return identity.put(f"/v1/tenants/{tenant}/settings", json={"bulletin": text}, headers=headers)


def test_in_house_staff_set_the_bulletin_and_a_logged_in_portal_user_reads_it(
        identity, staff_headers, portal_headers, tenant):
    before = identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers)
    assert before.status_code == 200 and before.json == {"bulletin": None, "updated_at": None}

    typed = "  " + WELCOME.replace("\n", "\r\n") + "\n"  # as a browser's textarea sends it
    saved = set_bulletin(identity, tenant, staff_headers(tenant, role="in-house"), typed)
    assert saved.status_code == 200, saved.json
    assert saved.json["bulletin"] == WELCOME and saved.json["version"] == 1

    read = identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers)
    assert read.status_code == 200
    assert read.json["bulletin"] == WELCOME and read.json["updated_at"].startswith("20")


def test_a_cleared_bulletin_reads_as_none_with_when_it_was_cleared(identity, staff_headers, portal_headers, tenant):
    staff = staff_headers(tenant)
    set_bulletin(identity, tenant, staff, WELCOME)
    assert set_bulletin(identity, tenant, staff, "   ").json["bulletin"] is None  # a blank form field clears it
    set_bulletin(identity, tenant, staff, WELCOME)
    cleared = set_bulletin(identity, tenant, staff, None)
    assert cleared.status_code == 200 and cleared.json["bulletin"] is None and cleared.json["version"] == 4

    read = identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers).json
    assert read["bulletin"] is None and read["updated_at"] is not None


def test_a_bulletin_too_long_or_not_plain_text_gets_a_problem_naming_it(identity, staff_headers, tenant):
    for bad in ("x" * 2001, "bell\x07", "nul\x00", 42):
        response = set_bulletin(identity, tenant, staff_headers(tenant), bad)
        assert response.status_code == 400, (bad, response.json)
        assert response.headers["Content-Type"] == "application/problem+json"
        assert response.json["code"] == "request.invalid"
        assert [(e["field"], e["pointer"]) for e in response.json["errors"]] == [("bulletin", "#/bulletin")]
    assert set_bulletin(identity, tenant, staff_headers(tenant), "x" * 2000).status_code == 200


def test_only_staff_set_the_bulletin_and_only_a_logged_in_user_reads_it(
        identity, staff_headers, portal_headers, tenant):
    by_portal_user = set_bulletin(identity, tenant, portal_headers, "Free bolts for everyone")
    assert by_portal_user.status_code == 403 and by_portal_user.json["code"] == "auth.in_house_only"
    by_sales_rep = set_bulletin(identity, tenant, staff_headers(tenant, role="sales-rep"), "Call me")
    assert by_sales_rep.status_code == 403
    permissions = identity.put(f"/v1/tenants/{tenant}/settings", headers=staff_headers(tenant, role="in-house"),
                               json={"bulletin": WELCOME, "allow_sales_reps_to_create_users": True})
    assert permissions.status_code == 403 and permissions.json["code"] == "auth.system_administrator_only"

    anonymous = identity.get(f"/v1/tenants/{tenant}/bulletin")
    assert anonymous.status_code == 401 and anonymous.json["code"] == "auth.token_missing"
    assert anonymous.headers["Content-Type"] == "application/problem+json"
    assert identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers).json["bulletin"] is None


def test_the_settings_event_carries_the_bulletin_as_v3(identity, identity_loops, staff_headers, infra,
                                                       topic_prefix, tenant):
    set_bulletin(identity, tenant, staff_headers(tenant), WELCOME)
    [event] = events_of(infra, topic_prefix, tenant, f"settings-{tenant}", {"tenant.settings_changed"})
    assert event["data"] == {"changes": {"bulletin": WELCOME}}
    assert event["dataschema"] == "urn:portico:schema:portico.identity.tenant.settings_changed:3"


def test_a_tenant_whose_history_holds_a_v1_settings_event_reads_it_as_the_latest(
        identity, identity_app, staff_headers, portal_headers, tenant):
    service = identity_app.extensions["identity"]
    v1 = NewEvent("portico.identity.tenant.settings_changed", 1,
                  {"changes": {"allow_sales_reps_to_create_users": True}})
    with service.uow() as uow:  # written before v2 existed
        uow.append([StreamAppend(f"settings-{tenant}", "settings", 0, [v1])], Metadata(tenant, "admin-1"))

    url = f"/v1/tenants/{tenant}/settings"
    assert identity.get(url, headers=staff_headers(tenant)).json == {
        "allow_personal_account_registration": True, "allow_sales_reps_to_create_users": True, "bulletin": None,
        "second_factor_policy": "optional", "version": 1}
    assert identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers).json["bulletin"] is None
    saved = identity.put(url, json={"bulletin": WELCOME, "expected_version": 1}, headers=staff_headers(tenant))
    assert saved.status_code == 200 and saved.json["allow_sales_reps_to_create_users"] is True

    with service.uow() as uow:
        stored = uow.read_stream(f"settings-{tenant}")
    assert [e.version for e in stored] == [1, 3]
    read = contracts.catalogue().read(stored[0])
    assert (read.version, read.data) == (3, {"changes": {"allow_sales_reps_to_create_users": True}})


def test_the_bulletin_answers_match_identity_s_openapi_document(identity_app, identity, staff_headers,
                                                                portal_headers, tenant):
    spec = document(identity_app)
    settings, bulletin = "/v1/tenants/{tenant_id}/settings", "/v1/tenants/{tenant_id}/bulletin"
    _validate(spec, bulletin, "get", 200, identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers).json)
    _validate(spec, settings, "put", 200, set_bulletin(identity, tenant, staff_headers(tenant), WELCOME).json)
    _validate(spec, bulletin, "get", 200, identity.get(f"/v1/tenants/{tenant}/bulletin", headers=portal_headers).json)
    _validate(spec, bulletin, "get", 401, identity.get(f"/v1/tenants/{tenant}/bulletin").json)
    _validate(spec, settings, "put", 400, set_bulletin(identity, tenant, staff_headers(tenant), "x" * 2001).json)
