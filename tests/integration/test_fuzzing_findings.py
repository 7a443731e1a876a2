"""What schemathesis found in identity, each kept as a test of its own (test_api_fuzzing.py samples its cases)."""
from __future__ import annotations


def test_the_filter_values_url_is_no_customer_s_a_put_there_is_a_405_naming_get(identity, staff_headers, tenant):
    headers, base = staff_headers(tenant), f"/v1/tenants/{tenant}/customers"
    answer = identity.put(f"{base}/filter-values", headers=headers, json={"name": "X", "receivable_account": "1"})
    assert answer.status_code == 405 and _methods(answer.headers["Allow"]) == {"GET", "HEAD", "OPTIONS"}
    assert _methods(identity.options(f"{base}/filter-values", headers=headers).headers["Allow"]) == {
        "GET", "HEAD", "OPTIONS"}
    refused = identity.post(base, headers=headers,
                            json={"code": "filter-values", "name": "X", "receivable_account": "1"})
    assert refused.status_code == 400 and [e["field"] for e in refused.json["errors"]] == ["code"]


def _methods(allow: str) -> set[str]:
    return {method.strip() for method in allow.split(",")}


def test_a_setting_s_flag_is_json_true_or_false_not_0_or_1(identity, staff_headers, tenant):
    for value in (0, 1, "no"):
        answer = identity.put(f"/v1/tenants/{tenant}/settings", headers=staff_headers(tenant),
                              json={"allow_personal_account_registration": value})
        assert answer.status_code == 400, value
        assert [e["field"] for e in answer.json["errors"]] == ["allow_personal_account_registration"]


def test_a_blank_bulletin_clears_it_as_the_document_says(identity_app, identity, staff_headers, tenant):
    document = identity_app.test_client().get("/openapi.json").json
    body = document["paths"]["/v1/tenants/{tenant_id}/settings"]["put"]["requestBody"]["content"]["application/json"]
    name = body["schema"]["$ref"].rsplit("/", 1)[-1]
    assert document["components"]["schemas"][name]["properties"]["bulletin"]["minLength"] == 0
    answer = identity.put(f"/v1/tenants/{tenant}/settings", headers=staff_headers(tenant), json={"bulletin": "  "})
    assert answer.status_code == 200 and answer.json["bulletin"] is None
