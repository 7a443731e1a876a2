"""What a portal frontend relies on, through the deployed services (gunicorn, worker processes):
each service's OpenAPI document and docs page, and reading its own write in another service."""
from __future__ import annotations

import requests

from eventkit.consistency import HEADER


def test_every_service_serves_its_document_and_its_docs_page(stack):
    for service in ("identity", "invitations"):
        url = stack.url(service)
        assert requests.get(f"{url}/openapi.json", timeout=10).json()["openapi"] == "3.1.0"
        assert "swagger-ui" in requests.get(f"{url}/docs", timeout=10).text
        asset = requests.get(f"{url}/docs/swagger-ui-bundle.js", timeout=10)
        assert asset.status_code == 200 and len(asset.content) > 100_000


def test_a_frontend_reads_its_write_in_another_service_at_once(stack, tenant, http_staff_headers):
    identity, invitations = stack.url("identity"), stack.url("invitations")
    created = requests.post(f"{identity}/v1/tenants/{tenant}/customers", headers=http_staff_headers(tenant),
                            json={"code": "RYW1", "name": "Read Your Writes Ltd", "receivable_account": "1400"},
                            timeout=10)
    assert created.status_code == 201, created.text

    page = requests.get(f"{invitations}/v1/tenants/{tenant}/candidates",
                        params={"after": created.headers[HEADER]}, headers=http_staff_headers(tenant), timeout=10)

    assert page.status_code == 200, page.text
    assert [c["code"] for c in page.json()["items"]] == ["RYW1"]
