"""HTTP API for customer imports: upload a CSV or .xlsx file (multipart), then follow the job.

The upload is checked at once (size, format, a CSV's header, a workbook's unpacked size) and answered
4xx if the file cannot be an import; the rows (and a workbook's header) are validated and written by the
identity worker. `Prefer: wait=N` (RFC 7240)
holds the answer up to N seconds for the job's end, so a rejected file is a 422 naming its rows.
"""
from __future__ import annotations

import re
import tempfile
import time
import uuid
from contextlib import nullcontext

from flask import Blueprint, current_app, g, jsonify, request, url_for
from marshmallow import RAISE, Schema, fields, validate
from werkzeug.exceptions import RequestEntityTooLarge

from eventkit import waiting
from eventkit.openapi import documented
from eventkit.problems import Problem

from ..adapters import import_files, import_staging
from ..service_layer import imports
from ..service_layer.import_validation import FileRejected, header_of
from . import answers
from .http import actor, tenant
from .import_problems import row_errors

bp = Blueprint("imports", __name__, url_prefix="/v1/tenants/<tenant_id>/customer-imports")
_WAIT = re.compile(r"\bwait=(\d+)")


class ImportOptions(Schema):
    class Meta:
        unknown = RAISE

    dry_run = fields.Boolean(load_default=False)
    skip_invalid = fields.Boolean(load_default=False)
    customer_types = fields.List(fields.String(validate=validate.Length(min=1, max=50)), load_default=list)


def _identity():
    return current_app.extensions["identity"]


def _upload():
    """The uploaded file, refusing more than IMPORT_MAX_UPLOAD_BYTES before reading any of it."""
    limit = current_app.config["IMPORT_MAX_UPLOAD_BYTES"]
    request.max_content_length = limit
    try:
        upload = request.files.get("file")
        form = request.form
    except RequestEntityTooLarge:
        raise Problem(413, "import.file_too_large", "File too large",
                      f"An import file may have at most {limit // (1024 * 1024)} MiB; split it by customer type.",
                      max_bytes=limit) from None
    if upload is None:
        raise Problem(400, "import.file_missing", "No file", "Send the file as multipart/form-data in the part 'file'.",
                      [{"field": "file", "pointer": "#/file", "detail": "Missing."}])
    options = {k: form.getlist(k) if k == "customer_types" else form[k] for k in form}
    if "customer_types" in options:
        options["customer_types"] = [t.strip() for v in options["customer_types"] for t in v.split(",") if t.strip()]
    return upload, ImportOptions().load(options)


@bp.post("")
@documented(body=ImportOptions, files={"file": "The CSV or .xlsx file (docs/import-format.md)."},
            response=answers.ImportJob, status=202, also=[201], problems=[413, 422])
def submit(tenant_id):
    """Queue an import of companies, contacts and individual accounts; 202 with the job to follow."""
    tenant_id = tenant()
    upload, options = _upload()
    with tempfile.NamedTemporaryFile(dir=current_app.config["IMPORT_WORK_DIR"], prefix="portico-upload-") as spool:
        upload.save(spool)
        spool.flush()
        try:
            fmt = import_files.sniff(spool.name)
            _check(spool.name, fmt)
        except import_files.WorkbookTooLarge as error:
            raise Problem(413, "import.workbook_too_large", "Workbook too large", str(error)) from None
        except import_files.UnreadableFile as error:
            raise Problem(415, "import.unreadable_file", "Not a CSV or .xlsx file", str(error)) from None
        except FileRejected as rejected:
            raise Problem(400, "import.invalid_header", "The columns are not right",
                          "Fix the header row; see docs/import-format.md.", row_errors(rejected.problems)) from None
        spool.seek(0)
        job_id = imports.submit(_identity().pool, {
            "tenant_id": tenant_id, "actor": actor(), "traceparent": g.traceparent,
            "filename": (upload.filename or "upload")[:200], "file_format": fmt, **options}, spool)
    return _answer(tenant_id, job_id, _wait_seconds(), created=True)


def _check(path: str, fmt: str) -> None:
    """What the web may check without parsing a workbook: a CSV's header line, a workbook's zip directory.
    A workbook's cells are read only by the import worker, in a process whose memory is capped."""
    if fmt == "csv":
        header_of(path, fmt)
        return
    config = current_app.config
    import_files.check_workbook(path, config["IMPORT_MAX_UNPACKED_BYTES"], config["IMPORT_MAX_WORKBOOK_ENTRIES"])


@bp.get("/<job_id>")
@documented(response=answers.ImportJob, also=[202])
def show(tenant_id, job_id):
    """The job's progress (rows read, valid, written) and, once it ended, its report."""
    return _answer(tenant(), _job_id(job_id), _wait_seconds())


@bp.get("/<job_id>/problems")
@documented(response=answers.ImportProblems)
def problems(tenant_id, job_id):
    """Every problem of the job, by row and column, a page at a time."""
    page = fields.Integer(validate=validate.Range(min=1)).deserialize(request.args.get("page", "1"))
    job_id = _job_id(job_id)
    if imports.report(_identity().pool, tenant(), job_id, problems=0) is None:
        raise _not_found(job_id)
    with _identity().pool.connection() as conn:
        found = import_staging.problems(conn, job_id, 500, (page - 1) * 500)
    return jsonify({"items": found, "page": page, "page_size": 500})


def _answer(tenant_id: str, job_id: uuid.UUID, wait: int, created: bool = False):
    deadline = time.monotonic() + wait
    # Waiting is a preference (RFC 7240): over the cap of waiting requests, answer at once with the progress.
    with waiting.turn() if wait else nullcontext(False) as may_wait:
        while True:
            job = imports.report(_identity().pool, tenant_id, job_id)
            if job is None:
                raise _not_found(job_id)
            if job["status"] in ("succeeded", "rejected", "failed") or not may_wait or time.monotonic() >= deadline:
                break
            time.sleep(0.2)
    location = url_for("imports.show", tenant_id=tenant_id, job_id=job_id)
    if wait and job["status"] == "rejected":
        raise Problem(422, "import.rows_invalid", "Nothing was imported", _rejection(job),
                      row_errors(job["problems"]), job=location, rows_invalid=job["rows_invalid"])
    body = {**job, "job_id": str(job_id), "href": location}
    status = 202 if job["status"] not in ("succeeded", "rejected", "failed") else (201 if created else 200)
    return jsonify(body), status, {"Location": location} if created else {}


def _rejection(job: dict) -> str:
    return (f"{job['rows_invalid']} of {job['rows_read']} rows are invalid and the import asks for all or nothing;"
            " fix them, or send skip_invalid=true to import the valid rows.")


def _wait_seconds() -> int:
    match = _WAIT.search(request.headers.get("Prefer", ""))
    return min(int(match.group(1)), 60) if match else 0


def _job_id(raw: str) -> uuid.UUID:
    try:
        return uuid.UUID(raw)
    except ValueError:
        raise _not_found(raw) from None


def _not_found(job_id) -> Problem:
    return Problem(404, "import.not_found", "No such import", f"There is no import {job_id} in this tenant.")
