"""A customer import through the services as deployed: a multipart upload to gunicorn, the job run by
the identity worker's import process, the customers reaching the invitations service over Kafka."""
from __future__ import annotations

from pathlib import Path

import requests

from ..conftest import eventually

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "customers.csv"


def test_an_uploaded_file_is_imported_by_the_worker_and_reaches_the_candidates(stack, tenant, http_staff_headers):
    identity, invitations = stack.url("identity"), stack.url("invitations")
    with open(SAMPLE, "rb") as file:
        queued = requests.post(f"{identity}/v1/tenants/{tenant}/customer-imports", timeout=30,
                               headers=http_staff_headers(tenant), files={"file": ("customers.csv", file)})
    assert queued.status_code in (201, 202), queued.text
    job = f"{identity}{queued.headers['Location']}"

    def finished():
        report = requests.get(job, headers=http_staff_headers(tenant), timeout=10).json()
        assert report["status"] == "succeeded", report
        return report

    report = eventually(finished, timeout=60)
    assert (report["rows_read"], report["rows_written"], report["events_written"]) == (6, 6, 6)

    def listed():
        page = requests.get(f"{invitations}/v1/tenants/{tenant}/candidates", headers=http_staff_headers(tenant),
                            timeout=10).json()
        assert [c["code"] for c in page["items"]] == ["ACME01", "BETA02", "JOE03"]

    eventually(listed, timeout=60)
