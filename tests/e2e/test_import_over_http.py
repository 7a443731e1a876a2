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


def test_the_import_worker_runs_in_a_process_whose_memory_is_capped(stack):
    """Workbooks are parsed only there (the web checks a workbook's zip directory alone), so a file that
    expands fails its job with MemoryError instead of growing a process that serves anyone."""
    [worker] = [p for p in stack.processes if "identity.entrypoints.worker" in p.args]

    def import_child() -> int:
        # Each thread lists the children it started; the import loop's thread starts this one.
        children = [c for task in Path(f"/proc/{worker.pid}/task").iterdir()
                    for c in (task / "children").read_text().split()]
        found = [int(c) for c in children
                 if b"identity.entrypoints.import_worker" in Path(f"/proc/{c}/cmdline").read_bytes()]
        assert found, "the identity worker has no import process"
        return found[0]

    limits = Path(f"/proc/{eventually(import_child, timeout=60)}/limits").read_text().splitlines()
    [address_space] = [line.split() for line in limits if line.startswith("Max address space")]
    assert address_space[3:5] == [str(1024 * 1024 * 1024)] * 2  # IMPORT_WORKER_MEMORY_MB, soft and hard
