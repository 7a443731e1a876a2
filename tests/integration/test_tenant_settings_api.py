"""Tenant settings over HTTP, stored as events in identity's real database."""
from __future__ import annotations


def test_settings_start_at_their_defaults(identity, staff_headers, tenant):
    response = identity.get(f"/v1/tenants/{tenant}/settings", headers=staff_headers(tenant))
    assert response.status_code == 200
    assert response.json == {"allow_personal_account_registration": True,
                             "allow_sales_reps_to_create_users": False, "version": 0}


def test_put_changes_only_the_named_settings_and_repeating_it_changes_nothing(identity, staff_headers, tenant):
    url = f"/v1/tenants/{tenant}/settings"
    first = identity.put(url, json={"allow_sales_reps_to_create_users": True}, headers=staff_headers(tenant))
    again = identity.put(url, json={"allow_sales_reps_to_create_users": True}, headers=staff_headers(tenant))

    assert first.status_code == 200 and first.json["version"] == 1
    assert again.json == first.json
    assert identity.get(url, headers=staff_headers(tenant)).json == {
        "allow_personal_account_registration": True, "allow_sales_reps_to_create_users": True, "version": 1}


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
