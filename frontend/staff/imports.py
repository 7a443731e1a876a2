"""Importing customers from a CSV or .xlsx (seed 001): the validation report, a dry run, a live
progress bar fed by the job's progress."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required
from . import roles

bp = Blueprint("staff_imports", __name__, url_prefix="/staff/imports")


@bp.get("")
@staff_required
@roles.in_house_required
def new():
    return render_template("staff/import_new.html", errors={}, problems=[])


@bp.post("")
@staff_required
@roles.in_house_required
def start():
    """Queue the import; the job's page follows it."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("staff/import_new.html", errors={"file": "Choose a CSV or .xlsx file."}, problems=[]), 422
    data = {"dry_run": str(forms.checked(request.form, "dry_run")).lower(),
            "skip_invalid": str(forms.checked(request.form, "skip_invalid")).lower()}
    types = [t.strip() for t in request.form.get("customer_types", "").split(",") if t.strip()]
    if types:
        data["customer_types"] = types
    try:
        job = api.call("identity", "POST", "/customer-imports", data=data,
                       files={"file": (upload.filename, upload.stream, upload.mimetype)}).json()
    except api.ApiProblem as problem:
        return _refused(problem)
    return redirect(url_for("staff_imports.show", job_id=job["job_id"]))


REFUSALS = {"import.invalid_header": "The file's columns are not right: nothing was imported.",
            "import.rows_invalid": "Some rows are invalid and nothing was imported. Fix them, or tick "
                                   "\"Skip invalid rows and import the rest\".",
            "import.unreadable_file": "This is not a CSV or .xlsx file the import can read."}


def _refused(problem: api.ApiProblem):
    """The import service's own reasons (which column is unknown, which are valid), in the page's words."""
    flash(REFUSALS.get(problem.code, problem.detail), "error")
    problems = [e for e in problem.errors if isinstance(e, dict)]
    return render_template("staff/import_new.html", errors={}, problems=problems), 422


@bp.get("/<job_id>")
@staff_required
@roles.in_house_required
def show(job_id):
    """The job's progress bar and, once it ended, its validation report."""
    job = api.get("identity", f"/customer-imports/{job_id}")
    return render_template("staff/import_job.html", job=job, tally=tally(job.get("outcomes") or {}),
                           ended=job.get("status") in ENDED)


ENDED = ("succeeded", "rejected", "failed")
WHAT = {"customer": ("customer", "customers"), "contact": ("contact", "contacts")}
HOW = {"created": "created", "changed": "changed", "unchanged": "already up to date, not written"}


def tally(outcomes: dict) -> dict:
    """{'written': n, 'unchanged': n, 'lines': ['3 customers created', ...]}: unchanged rows are not written."""
    lines, written, unchanged = [], 0, 0
    for key, count in sorted(outcomes.items()):
        what, _, how = key.partition(".")
        one, many = WHAT.get(what, (what, what))
        lines.append(f"{count} {one if count == 1 else many} {HOW.get(how, how)}")
        if how == "unchanged":
            unchanged += count
        else:
            written += count
    return {"written": written, "unchanged": unchanged, "lines": lines}


@bp.get("/<job_id>.json")
@staff_required
@roles.in_house_required
def progress(job_id):
    """What the progress bar polls."""
    return jsonify(api.get("identity", f"/customer-imports/{job_id}"))
