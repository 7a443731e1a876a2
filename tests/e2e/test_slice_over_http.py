"""The first slice through the services as deployed: gunicorn, worker processes, real HTTP."""
from __future__ import annotations

import requests

from ..conftest import eventually


def test_a_customer_posted_over_http_is_listed_by_the_invitations_service(stack, tenant, http_staff_headers):
    identity, invitations = stack.url("identity"), stack.url("invitations")

    created = requests.post(f"{identity}/v1/tenants/{tenant}/customers", timeout=10,
                            headers=http_staff_headers(tenant), json={
        "code": "E2E1", "name": "End To End Ltd", "receivable_account": "1300", "emails": "ap@e2e.example"})
    assert created.status_code == 201, created.text

    def listed():
        page = requests.get(f"{invitations}/v1/tenants/{tenant}/candidates", headers=http_staff_headers(tenant),
                            timeout=10).json()
        assert [c["code"] for c in page["items"]] == ["E2E1"]

    eventually(listed)


def test_a_malformed_body_is_a_problem_not_a_crash(stack, tenant, http_staff_headers):
    response = requests.post(f"{stack.url('identity')}/v1/tenants/{tenant}/customers", data="{not json",
                             headers={"Content-Type": "application/json", **http_staff_headers(tenant)}, timeout=10)
    assert response.status_code == 400
    assert response.headers["Content-Type"] == "application/problem+json"
    assert response.json()["code"] == "request.malformed"


def test_health_tells_live_from_ready(stack):
    for service in ("identity", "invitations"):
        assert requests.get(f"{stack.url(service)}/health/live", timeout=5).json() == {"status": "ok"}
        assert requests.get(f"{stack.url(service)}/health/ready", timeout=5).json()["status"] == "ok"
