"""Small helpers for the pages' forms: a problem's field errors shown beside their fields."""
from __future__ import annotations

from flask import flash

from . import api


def show_problem(problem: api.ApiProblem) -> dict:
    """Flash the problem's detail; answer {field: message} for the form to show beside each field."""
    flash(problem.detail, "error")
    fields = {}
    for error in problem.errors:
        if isinstance(error, dict) and error.get("field"):
            fields[error["field"]] = error.get("detail") or error.get("message") or "invalid"
    return fields


def emails(text: str) -> list[str]:
    """Addresses as staff type them: separated by ';' or ',' (seed 000)."""
    return [e.strip() for e in text.replace(",", ";").split(";") if e.strip()]


def checked(form, name: str) -> bool:
    return form.get(name) in ("on", "true", "1", "yes")
