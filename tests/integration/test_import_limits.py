"""Hostile and runaway imports end in bounded time and memory, and say why in the job: a workbook is
refused by its zip directory before anything parses it, the import worker's memory is capped, every
statement of a job is bounded, fresh statistics plan the checks, a stale job is taken over, and one whose
workers keep stopping is failed rather than retried for good."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import psycopg
import pytest
from openpyxl import Workbook

from identity import bootstrap as identity_bootstrap
from identity import config as identity_config
from identity.adapters import import_jobs
from identity.service_layer import imports

from ..conftest import eventually
from ..fixtures.settings import KEYS

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "docs" / "samples" / "customers.csv"
MiB = 1024 * 1024


def workbook_whose_strings_unpack_to(size: int) -> bytes:
    """A real .xlsx (header and one row) whose company name is a shared string of `size` characters."""
    book = Workbook()
    book.active.append(["record_type", "customer_code", "name"])
    book.active.append(["company", "BOMB01", "Bomb Ltd"])
    plain = io.BytesIO()
    book.save(plain)
    edits = {  # openpyxl writes inline strings: point the name cell at a shared strings part instead
        "[Content_Types].xml": ("</Types>", '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                                            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'),
        "xl/_rels/workbook.xml.rels": ("</Relationships>", '<Relationship Id="rIdStrings" Type="http://schemas.'
                                       'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
                                       'Target="sharedStrings.xml"/></Relationships>'),
        "xl/worksheets/sheet1.xml": ('t="inlineStr"><is><t>Bomb Ltd</t></is>', 't="s"><v>0</v>'),
    }
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=1) as bomb:
        for part in source.infolist():
            text = source.read(part).decode()
            if part.filename in edits:
                old, new = edits[part.filename]
                assert old in text, part.filename
                text = text.replace(old, new)
            bomb.writestr(part.filename, text)
        with bomb.open("xl/sharedStrings.xml", "w", force_zip64=True) as strings:
            strings.write(b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1"'
                          b' uniqueCount="1"><si><t>')
            chunk = b"a" * MiB
            for _ in range(size // MiB):
                strings.write(chunk)
            strings.write(b"</t></si></sst>")
    return out.getvalue()


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return workbook_whose_strings_unpack_to(160 * MiB)  # under a megabyte to upload


@pytest.fixture(scope="module")
def own_identity(infra, database, topic_prefix):
    """Identity on a database of these tests' own, so that only their jobs are there to claim."""
    settings = identity_config.load({"DATABASE_URL": database("import_limits"), "TOPIC_PREFIX": topic_prefix,
                                     "KAFKA_BOOTSTRAP": infra.kafka_bootstrap, "TESTING": True, **KEYS,
                                     "IMPORT_STATEMENT_TIMEOUT_SECONDS": 1, "IMPORT_STALE_SECONDS": 5})
    identity_bootstrap.migrate(settings)
    identity = identity_bootstrap.bootstrap(settings)
    yield identity
    identity.close()


def queue(identity, tenant: str, content: bytes, fmt: str = "csv", dry_run: bool = False):
    return imports.submit(identity.pool, {"tenant_id": tenant, "actor": "test", "traceparent": None,
                                          "filename": f"upload.{fmt}", "file_format": fmt, "dry_run": dry_run,
                                          "skip_invalid": False, "customer_types": []}, io.BytesIO(content))


def report(identity, tenant, job_id) -> dict:
    return imports.report(identity.pool, tenant, job_id)


def test_the_web_refuses_a_workbook_that_unpacks_too_large_without_parsing_it(identity, staff_headers, tenant, bomb):
    answer = identity.post(f"/v1/tenants/{tenant}/customer-imports", content_type="multipart/form-data",
                           data={"file": (io.BytesIO(bomb), "customers.xlsx")}, headers=staff_headers(tenant))
    assert answer.status_code == 413 and answer.json["code"] == "import.workbook_too_large"
    assert "MiB" in answer.json["detail"] and answer.content_type == "application/problem+json"


def test_the_worker_refuses_a_workbook_bomb_before_parsing_it_and_says_so(own_identity, tenant, bomb):
    job_id = queue(own_identity, tenant, bomb, fmt="xlsx")
    assert own_identity.import_worker().run_next()
    done = report(own_identity, tenant, job_id)
    assert done["status"] == "rejected"
    assert "unpacks to 160 MiB" in done["problems"][0]["message"]


def test_a_cell_longer_than_any_import_needs_rejects_the_file_naming_its_row(own_identity, tenant):
    job_id = queue(own_identity, tenant, b"record_type,customer_code,name\ncompany,LONG01," + b"x" * 20_000 + b"\n")
    assert own_identity.import_worker().run_next()
    done = report(own_identity, tenant, job_id)
    assert done["status"] == "rejected"
    assert [(p["row"], "at most 10000" in p["message"]) for p in done["problems"]] == [(2, True)]


def test_the_import_worker_process_cannot_grow_past_its_memory_limit(infra, tmp_path, bomb):
    """The import worker's own entry point caps its address space; a workbook it is told to read whole
    (zip checks lifted) then fails with MemoryError instead of growing the process."""
    (tmp_path / "bomb.xlsx").write_bytes(bomb)
    script = ("import re, sys, openpyxl; from identity.entrypoints import import_worker as w;"
              "from identity.adapters import import_files;"
              "used = int(re.search(r'VmSize:\\s+(\\d+)', open('/proc/self/status').read())[1]) // 1024;"
              "w.limit_memory(used + int(sys.argv[2])); print('reading', flush=True);"
              "list(import_files.rows(sys.argv[1], 'xlsx'))")
    env = {**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'services'}", "MALLOC_ARENA_MAX": "2"}
    ran = subprocess.run([sys.executable, "-c", script, str(tmp_path / "bomb.xlsx"), "64"], env=env,
                         capture_output=True, text=True, timeout=300)
    assert ran.stdout == "reading\n", ran.stderr[-2000:]  # limited once loaded, then it read the file
    assert ran.returncode != 0 and "MemoryError" in ran.stderr, ran.stderr[-2000:]


def test_a_step_that_outlasts_the_statement_timeout_fails_the_job_and_says_so(own_identity, tenant):
    job_id = queue(own_identity, tenant, SAMPLE.read_bytes(), dry_run=True)
    dsn = own_identity.config["DATABASE_URL"]
    with psycopg.connect(dsn) as long_statement:
        long_statement.execute("LOCK TABLE import_rows IN ACCESS EXCLUSIVE MODE")
        worker = threading.Thread(target=own_identity.import_worker().run_next, daemon=True)
        worker.start()
        eventually(lambda: assert_not(worker.is_alive()), timeout=120)
    done = report(own_identity, tenant, job_id)
    assert done["status"] == "failed" and "took longer than 1 s" in done["error"], done


def assert_not(alive: bool) -> None:
    assert not alive


def test_the_checks_across_rows_are_planned_with_fresh_statistics(own_identity, tenant):
    header, company = SAMPLE.read_text().splitlines()[:2]
    rows = "".join(company.replace("ACME01", f"FRESH{n:05d}").replace("1200-ACME", f"1200-{n}") + "\n"
                   for n in range(3000))
    job_id = queue(own_identity, tenant, (header + "\n" + rows).encode(), dry_run=True)
    assert own_identity.import_worker().run_next()
    assert report(own_identity, tenant, job_id)["status"] == "succeeded"
    with psycopg.connect(own_identity.config["DATABASE_URL"]) as conn:
        analysed = conn.execute("SELECT reltuples FROM pg_class WHERE relname = 'import_rows'").fetchone()[0]
    assert analysed >= 3000  # as staged, not the empty table a finished job leaves


def test_a_stale_job_is_taken_over_and_one_whose_workers_keep_stopping_is_failed(own_identity, tenant):
    dsn = own_identity.config["DATABASE_URL"]
    taken_over = queue(own_identity, tenant, SAMPLE.read_bytes(), dry_run=True)
    with own_identity.pool.connection() as conn, conn.transaction():  # a worker claims it, then dies
        assert import_jobs.claim(conn, 5, taken_over).job_id == taken_over
    keeps_stopping = queue(own_identity, tenant, SAMPLE.read_bytes(), dry_run=True)
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE import_jobs SET heartbeat_at = now() - interval '1 hour' WHERE job_id = %s", (taken_over,))
        conn.execute("UPDATE import_jobs SET claim = gen_random_uuid(), status = 'validating', attempts = 3,"
                     " heartbeat_at = now() - interval '1 hour' WHERE job_id = %s", (keeps_stopping,))
    worker = own_identity.import_worker()
    while worker.run_next():
        pass
    done = report(own_identity, tenant, taken_over)
    assert (done["status"], done["attempts"]) == ("succeeded", 2)
    gave_up = report(own_identity, tenant, keeps_stopping)
    assert gave_up["status"] == "failed" and "stopped 3 times" in gave_up["error"], gave_up
