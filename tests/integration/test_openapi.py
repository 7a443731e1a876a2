"""Every service serves an OpenAPI 3.1 document of all its routes, built from the marshmallow schemas
its views load, and an interactive page whose assets it serves itself."""
from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import OpenAPIV31SpecValidator

UNDOCUMENTED = ("/health", "/metrics", "/openapi.json", "/docs", "/static")
ROOT = Path(__file__).resolve().parents[2]
# Every service with a web app and test fixtures (tests/fixtures/<service>.py defines <service>_app).
APPS = sorted(f"{app.parents[1].name}_app" for app in ROOT.glob("services/*/entrypoints/app.py")
              if (ROOT / "tests" / "fixtures" / f"{app.parents[1].name}.py").exists())


@pytest.fixture(params=APPS)
def app(request):
    return request.getfixturevalue(request.param)


def document(app) -> dict:
    response = app.test_client().get("/openapi.json")
    assert response.status_code == 200
    return response.json


def test_the_document_is_valid_openapi_3_1(app):
    spec = document(app)
    assert spec["openapi"] == "3.1.0"
    errors = [e.message for e in OpenAPIV31SpecValidator(spec).iter_errors()]
    assert errors == []


def test_every_route_is_in_the_document(app):
    paths = document(app)["paths"]
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith(UNDOCUMENTED):
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if method.lower() not in paths.get(_openapi_path(rule), {}):
                missing.append(f"{method} {rule.rule} ({rule.endpoint})")
    assert missing == [], "annotate these views with @documented (see DEVELOPERS.md, Add an endpoint)"


def _openapi_path(rule) -> str:
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule)


def test_errors_are_rfc_9457_problems(app):
    spec = document(app)
    problem = spec["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"type", "title", "status", "code"}
    for operations in spec["paths"].values():
        for operation in operations.values():
            default = operation["responses"]["default"]["content"]
            assert default == {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}


def test_the_interactive_page_is_served_without_a_cdn(app):
    client = app.test_client()
    page = client.get("/docs")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert "http://" not in html and "https://" not in html
    assert client.get("/docs/swagger-ui-bundle.js").status_code == 200
    assert client.get("/docs/swagger-ui.css").status_code == 200


def _validate(spec: dict, path: str, method: str, status: int, body) -> None:
    """Check an answer against the document's schema for it, closed: no field it does not declare."""
    content = spec["paths"][path][method]["responses"][str(status)]["content"]
    media = next(iter(content.values()))
    closed = _closed(spec["components"])
    jsonschema.Draft202012Validator({**media["schema"], "components": closed},
                                    format_checker=jsonschema.FormatChecker()).validate(body)


def _closed(node):
    if isinstance(node, dict):
        node = {k: _closed(v) for k, v in node.items()}
        if "properties" in node and "additionalProperties" not in node:
            node["additionalProperties"] = False
        return node
    return [_closed(v) for v in node] if isinstance(node, list) else node


ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "emails": "ap@acme.example"}
CUSTOMERS = "/v1/tenants/{tenant_id}/customers"


def test_identity_s_answers_match_its_document(identity_app, identity, staff_headers, tenant):
    spec, headers, base = document(identity_app), staff_headers(tenant), f"/v1/tenants/{tenant}/customers"
    created = identity.post(base, json=ACME, headers=headers)
    _validate(spec, CUSTOMERS, "post", 201, created.json)
    contact = identity.post(f"{base}/ACME01/contacts", headers=headers,
                            json={"first_name": "Ada", "last_name": "Lovelace", "email": "ada@acme.example"})
    _validate(spec, CUSTOMERS + "/{code}/contacts", "post", 201, contact.json)
    _validate(spec, CUSTOMERS + "/{code}", "get", 200, identity.get(f"{base}/ACME01", headers=headers).json)
    _validate(spec, CUSTOMERS, "get", 200, identity.get(base, headers=headers).json)
    _validate(spec, CUSTOMERS + "/{code}/history", "get", 200,
              identity.get(f"{base}/ACME01/history", headers=headers).json)
    missing = identity.get(f"{base}/NOPE", headers=headers)
    _validate(spec, CUSTOMERS + "/{code}", "get", 404, missing.json)
    settings = identity.get(f"/v1/tenants/{tenant}/settings", headers=headers)
    _validate(spec, "/v1/tenants/{tenant_id}/settings", "get", 200, settings.json)


def test_invitations_answers_match_its_document(invitations_app, invitations, tenant, staff_headers):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    spec = document(invitations_app)
    page = invitations.get(f"/v1/tenants/{tenant}/candidates")
    _validate(spec, "/v1/tenants/{tenant_id}/candidates", "get", 200, page.json)
    bad = invitations.get(f"/v1/tenants/{tenant}/candidates?page=0")
    _validate(spec, "/v1/tenants/{tenant_id}/candidates", "get", 400, bad.json)


def _effective_security(spec: dict, operation: dict) -> list:
    return operation.get("security", spec.get("security", []))


def _example_path(path: str, operation: dict, tenant: str) -> str:
    """The path with its parameters filled from their schemas: the tenant, an enum's first value, a UUID."""
    for parameter in operation.get("parameters", []):
        if parameter["in"] != "path":
            continue
        schema = parameter["schema"]
        value = (tenant if parameter["name"] == "tenant_id" else schema["enum"][0] if "enum" in schema
                 else "00000000-0000-4000-8000-000000000000" if schema.get("format") == "uuid" else "X1")
        path = path.replace("{" + parameter["name"] + "}", value)
    return path


def test_every_operation_says_which_credential_it_takes_and_answers_401_without_it(app, tenant):
    """As served: a generated client sends the token the document asks for, and only where it asks."""
    spec = document(app)
    schemes = spec.get("components", {}).get("securitySchemes", {})
    client, wrong = app.test_client(), []
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            security = _effective_security(spec, operation)
            assert all(name in schemes for requirement in security for name in requirement), (method, path)
            answer = client.open(_example_path(path, operation, tenant), method=method.upper())
            if security and (answer.status_code != 401 or "401" not in operation["responses"]):
                wrong.append(f"{method.upper()} {path}: secured, answered {answer.status_code} without a token")
            if not security and answer.status_code == 401:
                wrong.append(f"{method.upper()} {path}: documented as open, answered 401")
    assert wrong == []


def test_an_import_upload_as_the_import_tests_send_it_satisfies_identity_s_document(identity_app):
    """The form is one object (options and the file), not an allOf no form could satisfy."""
    spec = document(identity_app)
    body = spec["paths"]["/v1/tenants/{tenant_id}/customer-imports"]["post"]["requestBody"]
    form = body["content"]["multipart/form-data"]["schema"]
    validator = jsonschema.Draft202012Validator({**form, "components": spec["components"]})
    assert validator.is_valid({"file": "code,name\n", "dry_run": True, "skip_invalid": False,
                               "customer_types": ["wholesale"]})
    assert not validator.is_valid({"dry_run": True})
    assert not validator.is_valid({"file": "code,name\n", "colour": "red"})
