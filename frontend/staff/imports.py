"""Importing customers from a CSV or .xlsx (seed 001): the validation report, a dry run, a live
progress bar fed by the job's progress."""
from __future__ import annotations

from flask import Blueprint, jsonify, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required

bp = Blueprint("staff_imports", __name__, url_prefix="/staff/imports")


@bp.get("")
@staff_required
def new():
    return render_template("staff/import_new.html", errors={})


@bp.post("")
@staff_required
def start():
    """Queue the import; the job's page follows it."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return render_template("staff/import_new.html", errors={"file": "Choose a CSV or .xlsx file."}), 422
    data = {"dry_run": str(forms.checked(request.form, "dry_run")).lower(),
            "skip_invalid": str(forms.checked(request.form, "skip_invalid")).lower()}
    types = [t.strip() for t in request.form.get("customer_types", "").split(",") if t.strip()]
    if types:
        data["customer_types"] = types
    try:
        job = api.call("identity", "POST", "/customer-imports", data=data,
                       files={"file": (upload.filename, upload.stream, upload.mimetype)}).json()
    except api.ApiProblem as problem:
        return render_template("staff/import_new.html", errors=forms.show_problem(problem)), 422
    return redirect(url_for("staff_imports.show", job_id=job["job_id"]))


@bp.get("/<job_id>")
@staff_required
def show(job_id):
    """The job's progress bar and, once it ended, its validation report."""
    job = api.get("identity", f"/customer-imports/{job_id}")
    return render_template("staff/import_job.html", job=job)


@bp.get("/<job_id>.json")
@staff_required
def progress(job_id):
    """What the progress bar polls."""
    return jsonify(api.get("identity", f"/customer-imports/{job_id}"))
