"""Customer imports over HTTP against the real broker and database: the events they write, the candidate
list that follows them, idempotence, all-or-nothing, CSV and .xlsx alike, and bad input."""
from __future__ import annotations

import io
import json
from pathlib import Path

from openpyxl import Workbook

from ..conftest import eventually
from .kafka_events import published

SAMPLE = Path(__file__).resolve().parents[2] / "docs" / "samples" / "customers.csv"
WAIT = {"Prefer": "wait=60"}


def upload(client, headers, tenant, content: bytes, name="customers.csv", **options):
    data = {"file": (io.BytesIO(content), name), **{k: str(v).lower() if isinstance(v, bool) else v
                                                     for k, v in options.items()}}
    response = client.post(f"/v1/tenants/{tenant}/customer-imports", data=data, content_type="multipart/form-data",
                           headers={**headers, **WAIT})
    for _ in range(10):  # a loaded machine may take longer than one wait: ask again, waiting again
        if response.status_code != 202:
            break
        response = client.get(response.headers["Location"], headers={**headers, **WAIT})
    return response


def as_xlsx(csv_text: str) -> bytes:
    import csv

    book = Workbook()
    sheet = book.active
    for row in csv.reader(io.StringIO(csv_text)):
        sheet.append([int(c) if c.isdigit() else (c or None) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def candidates(client, tenant):
    return [c["code"] for c in client.get(f"/v1/tenants/{tenant}/candidates").json["items"]]


def test_an_import_writes_the_customers_and_contacts_and_the_candidates_follow(
        identity, invitations, staff_headers, pipeline, infra, topic_prefix, tenant):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    done = upload(identity, staff_headers(tenant, username="importer"), tenant, SAMPLE.read_bytes())

    assert done.status_code in (200, 201), done.json
    report = done.json
    assert (report["status"], report["rows_read"], report["rows_valid"], report["rows_written"]) == (
        "succeeded", 6, 6, 6)
    assert report["outcomes"] == {"customers.created": 3, "contacts.created": 3}
    eventually(lambda: candidates(invitations, tenant) == ["ACME01", "BETA02", "JOE03"] or _fail())

    events = eventually(lambda: _count(published(infra, topic_prefix, tenant), 6))
    assert sorted(e["type"] for e in events) == ["customer.contact_added"] * 3 + ["customer.imported"] * 3
    assert {e["actor"] for e in events} == {"importer"}
    assert {e["correlation"] for e in events} == {report["job_id"]}
    acme = identity.get(f"/v1/tenants/{tenant}/customers/ACME01", headers=staff_headers(tenant)).json
    assert acme["emails"] == ["ap@acme.example", "boss@acme.example"]
    assert acme["billing_address"]["city"] == "Leeds"
    assert [c["email"] for c in acme["contacts"]] == ["jane@acme.example", "raj@acme.example"]

    # A person's values (an individual customer, a contact) are sealed in the store and on Kafka, as any
    # append's are, though an import copies its chunks in (EventStore.append_staged); read back in clear.
    people = ("Joe Bloggs", "joe@bloggs.example", "555-0199", "jane@acme.example", "raj@acme.example")
    with identity.application.extensions["identity"].pool.connection() as conn:
        stored = [str(r) for r in conn.execute("SELECT data::text FROM events WHERE tenant_id = %s", (tenant,))]
    assert len(stored) == 6 and not [p for p in people if p in " ".join(stored)]
    assert not [p for p in people if p in json.dumps(events)]
    joe = identity.get(f"/v1/tenants/{tenant}/customers/JOE03", headers=staff_headers(tenant)).json
    assert (joe["name"], joe["emails"], joe["phone"]) == ("Joe Bloggs", ["joe@bloggs.example"], "555-0199")


def test_re_importing_the_same_file_writes_nothing_and_a_changed_row_only_its_changed_fields(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    h = staff_headers(tenant)
    upload(identity, h, tenant, SAMPLE.read_bytes())
    again = upload(identity, h, tenant, SAMPLE.read_bytes()).json
    assert again["events_written"] == 0
    assert again["outcomes"] == {"customers.unchanged": 3, "contacts.unchanged": 3}

    changed = SAMPLE.read_text().replace("Beta Bolts GmbH", "Beta Bolts AG").replace("Purchasing manager", "Buyer")
    report = upload(identity, h, tenant, changed.encode()).json
    assert report["outcomes"] == {"customers.changed": 1, "customers.unchanged": 2,
                                  "contacts.changed": 1, "contacts.unchanged": 2}
    def updates():
        changes = sorted(str(e["data"]["changes"]) for e in published(infra, topic_prefix, tenant)
                         if e["type"].endswith("updated"))
        assert changes == ["{'name': 'Beta Bolts AG'}", "{'title': 'Buyer'}"]
    eventually(updates)


def test_a_dry_run_reports_what_would_change_and_writes_nothing(identity, staff_headers, pipeline, tenant):
    h = staff_headers(tenant)
    report = upload(identity, h, tenant, SAMPLE.read_bytes(), dry_run=True).json
    assert report["status"] == "succeeded" and report["dry_run"] is True
    assert report["outcomes"] == {"customers.created": 3, "contacts.created": 3} and report["events_written"] == 0
    assert identity.get(f"/v1/tenants/{tenant}/customers/ACME01", headers=h).status_code == 404


def test_a_file_with_a_bad_row_imports_nothing_and_names_that_row(identity, staff_headers, pipeline, tenant):
    h = staff_headers(tenant)
    bad = SAMPLE.read_text().replace("lena@beta.example", "lena-at-beta").replace("1300-JOE", "")
    refused = upload(identity, h, tenant, bad.encode())

    assert refused.status_code == 422 and refused.content_type == "application/problem+json"
    assert refused.json["code"] == "import.rows_invalid"
    assert [(e["row"], e["column"]) for e in refused.json["errors"]] == [(6, "email"), (7, "receivable_account")]
    assert identity.get(f"/v1/tenants/{tenant}/customers/ACME01", headers=h).status_code == 404

    skipped = upload(identity, h, tenant, bad.encode(), skip_invalid=True).json
    assert (skipped["status"], skipped["rows_valid"], skipped["rows_invalid"]) == ("succeeded", 4, 2)
    assert skipped["outcomes"] == {"customers.created": 2, "contacts.created": 2}


def test_only_the_customer_types_asked_for_are_imported(identity, staff_headers, pipeline, tenant):
    h = staff_headers(tenant)
    report = upload(identity, h, tenant, SAMPLE.read_bytes(), customer_types="wholesale,Trade").json
    assert report["outcomes"] == {"customers.created": 2, "contacts.created": 2} and report["rows_filtered"] == 2
    assert identity.get(f"/v1/tenants/{tenant}/customers/BETA02", headers=h).status_code == 404


def test_xlsx_and_csv_give_the_same_result(identity, staff_headers, pipeline, tenant):
    h = staff_headers(tenant)
    first = upload(identity, h, tenant, as_xlsx(SAMPLE.read_text()), name="customers.xlsx").json
    assert (first["status"], first["file_format"], first["outcomes"]) == (
        "succeeded", "xlsx", {"customers.created": 3, "contacts.created": 3})
    same_as_csv = upload(identity, h, tenant, SAMPLE.read_bytes()).json
    assert same_as_csv["events_written"] == 0 and same_as_csv["outcomes"]["customers.unchanged"] == 3


def test_bad_uploads_get_a_clear_problem_and_store_nothing(identity, staff_headers, pipeline, tenant):
    h = staff_headers(tenant)
    unknown = upload(identity, h, tenant, b"record_type,customer_code,colour\ncompany,A1,red\n")
    assert unknown.status_code == 400 and unknown.json["code"] == "import.invalid_header"
    assert [(e["row"], e["column"]) for e in unknown.json["errors"]] == [(1, "colour")]

    junk = upload(identity, h, tenant, bytes(range(256)) * 4096, name="customers.csv")
    assert junk.status_code == 415 and junk.json["code"] == "import.unreadable_file"

    huge = upload(identity, h, tenant, b"\x00" * (50 * 1024 * 1024), name="big.csv")
    assert huge.status_code == 413 and huge.json["code"] == "import.file_too_large"

    duplicate = SAMPLE.read_text() + "company,ACME01,Acme Again,1200-X,,,,,,,,,,,,,\n"
    twice = upload(identity, h, tenant, duplicate.encode())
    assert twice.status_code == 422 and [(e["row"], e["column"]) for e in twice.json["errors"]] == [
        (8, "customer_code")]
    assert "also on row 2" in twice.json["errors"][0]["detail"]
    listed = identity.get(f"/v1/tenants/{tenant}/customers/ACME01", headers=h)
    assert listed.status_code == 404


def _count(events, n):
    assert len(events) == n
    return events


def _fail():
    raise AssertionError
