"""Small helpers for the pages' forms: a problem's field errors shown beside their fields."""
from __future__ import annotations

from flask import flash

from . import api
from .staff.wording import field_label


def show_problem(problem: api.ApiProblem) -> dict:
    """Flash the problem's detail; answer {field: message} for the form to show beside each field."""
    fields = {}
    for error in problem.errors:
        if isinstance(error, dict) and error.get("field"):
            fields[error["field"]] = error.get("detail") or error.get("message") or "invalid"
    if problem.code == "request.invalid" and fields:  # the API names fields by path: say them in words
        flash("Check " + ", ".join(field_label(f) for f in fields) + ".", "error")
    else:
        flash(problem.detail, "error")
    return fields


def emails(text: str) -> list[str]:
    """Addresses as staff type them: separated by ';' or ',' (seed 000)."""
    return [e.strip() for e in text.replace(",", ";").split(";") if e.strip()]


def checked(form, name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")
