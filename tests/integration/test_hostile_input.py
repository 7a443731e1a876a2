"""Hostile input gets a 4xx problem, never a 500: JSON nested a thousand levels (or a hundred thousand)
on every JSON-body endpoint of every service, line breaks in text that becomes an e-mail header, and
templates that raise Python's errors rather than Jinja's or would render for ever."""
from __future__ import annotations

import uuid

import pytest

PROBLEM = "application/problem+json"
SERVICES = ("identity", "invitations", "notifications", "documents")
EXAMPLE_PATH_VALUES = {"tenant_id": None, "kind": "welcome", "area": "invoices", "number": "INV-1", "code": "C1"}


def _json_operations(app) -> list[tuple[str, str]]:
    """(method, path template) of every operation in the app's OpenAPI document that takes a JSON body."""
    document = app.test_client().get("/openapi.json").json
    return [(method.upper(), path) for path, item in document["paths"].items() for method, operation in item.items()
            if "application/json" in (operation.get("requestBody") or {}).get("content", {})]


def _filled(path: str, tenant: str) -> str:
    for name in [part[1:-1] for part in path.split("/") if part.startswith("{")]:
        value = EXAMPLE_PATH_VALUES.get(name, str(uuid.uuid4()))
        path = path.replace("{" + name + "}", value or tenant)
    return path


def test_json_nested_a_thousand_levels_is_a_400_problem_on_every_json_endpoint_of_every_service(
        request, staff_headers, tenant):
    deep = "[" * 1000 + "]" * 1000
    tried, answers = 0, {}
    for service in SERVICES:
        app = request.getfixturevalue(f"{service}_app")
        client = app.test_client()
        for method, path in _json_operations(app):
            tried += 1
            answer = client.open(_filled(path, tenant), method=method, data=deep, content_type="application/json",
                                 headers=staff_headers(tenant))
            answers[f"{service} {method} {path}"] = (answer.status_code, answer.content_type,
                                                    (answer.json or {}).get("code"))
    print(f"[deep json] {tried} JSON-body endpoints")
    assert tried >= 25
    assert {where: got for where, got in answers.items() if got != (400, PROBLEM, "request.too_deep")} == {}


def test_login_refuses_a_hundred_thousand_levels_and_still_logs_in(identity, tenant):
    url = f"/v1/tenants/{tenant}/auth/login"
    answer = identity.post(url, data='{"username": ' + "[" * 100_000 + "]" * 100_000 + "}",
                           content_type="application/json")
    assert (answer.status_code, answer.content_type) == (400, PROBLEM)
    assert answer.json["errors"][0]["pointer"] == "#" and "levels" in answer.json["detail"]
    shallow = identity.post(url, json={"username": "nobody", "password": "not this one"})
    assert shallow.status_code == 401, shallow.json  # an ordinary body still reaches the login


INJECTED = "Acme\r\nBcc : thief@evil.example"


@pytest.mark.parametrize("service, method, path, body, field", [
    ("notifications", "PUT", "/notification-settings", {"from_name": INJECTED}, "from_name"),
    ("notifications", "PUT", "/notification-settings", {"from_name": "Acme\tDistribution"}, "from_name"),
    ("notifications", "PUT", "/notification-settings", {"from_address": "jöhn@acme.example"}, "from_address"),
    ("notifications", "PUT", "/notification-settings", {"reply_to": "jöhn@acme.example"}, "reply_to"),
    ("identity", "POST", "/customers", {"code": "C1", "name": INJECTED, "receivable_account": "AR-1"}, "name"),
    ("identity", "PATCH", "/customers/C1", {"name": "Acme\nDistribution"}, "name"),
    ("identity", "POST", "/registrations", {"username": "ann.x", "password": "A long passphrase 2026",
                                            "first_name": "Ann", "last_name": "X", "emails": ["ann@x.example"],
                                            "business_name": INJECTED}, "business_name"),
    ("invitations", "PATCH", "/invitation-settings", {"company_name": "Acme\u2028Bcc: x@evil.example"},
     "company_name"),
])
def test_text_that_becomes_an_email_header_is_refused_with_line_breaks_or_control_characters(
        request, staff_headers, tenant, service, method, path, body, field):
    client = request.getfixturevalue(f"{service}_app").test_client()
    answer = client.open(f"/v1/tenants/{tenant}{path}", method=method, json=body, headers=staff_headers(tenant))
    assert (answer.status_code, answer.content_type) == (400, PROBLEM), answer.json
    assert field in [error["field"] for error in answer.json["errors"]], answer.json


@pytest.mark.parametrize("text, line, words", [
    ("Hello {{ username }}\n{% if username == 'ada.lovelace' %}{{ 1 / 0 }}{% endif %}", 2, "divides by zero"),
    ("Hello\n\n{{ username + 1 }}", 3, "cannot be rendered"),
    ("{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}", 1, "calls itself"),
    ("Hello\n{% include 'footer.txt' %}", 2, "cannot include"),
    ("{% for a in range(99999) %}{% for b in range(99999) %}{% endfor %}{% endfor %}", 1, "seconds"),
])
def test_a_template_raising_pythons_errors_is_a_422_naming_the_line_when_saved_and_previewed(
        notifications, staff_headers, tenant, text, line, words):
    base = f"/v1/tenants/{tenant}/templates/approved"
    body = {"subject": "Welcome", "text": text, "html": None}
    for answer in (notifications.put(base, json=body, headers=staff_headers(tenant)),
                   notifications.post(f"{base}/preview", json=body, headers=staff_headers(tenant))):
        assert (answer.status_code, answer.content_type) == (422, PROBLEM), answer.json
        [error] = answer.json["errors"]
        assert (error["field"], error["line"]) == ("text", line) and words in error["detail"], error
    assert notifications.get(base, headers=staff_headers(tenant)).json["source"] == "default"
