"""The portal's pages for a logged-in customer (seeds 002, 003): the bulletin, their documents by
area (only what the documents service lets them see), requests for quote sent and to send."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import api, forms, sessions, words
from ..sessions import portal_required
from . import tables

bp = Blueprint("portal_documents", __name__)


def areas_of(user: dict | None) -> dict[str, str]:
    """The areas the user can open, in people's words; never A/R statements for a staff-kind user (seed 004),
    whom the documents service would show none."""
    held = set((user or {}).get("areas") or ())
    if (user or {}).get("kind") == "staff":
        held.discard("ar_statements")
    return {area: label for area, label in words.AREA_NAMES.items() if area in held}


@bp.app_context_processor
def _portal_menu() -> dict:
    return {"portal_areas": lambda: areas_of(sessions.user())}


def _bulletin() -> dict:
    """The tenant's bulletin (seed 003) and when it changed; none if identity cannot say just now."""
    try:
        return api.get("identity", "/bulletin")
    except api.ApiProblem:
        return {"bulletin": None, "updated_at": None}


@bp.get("/")
@portal_required
def home():
    """The portal's home page: the bulletin and the areas this user may open."""
    return render_template("portal/home.html", bulletin=_bulletin())


def _area(area: str) -> str:
    if area not in areas_of(sessions.user()):
        abort(404)
    return words.AREA_NAMES[area]


@bp.get("/documents/<area>")
@portal_required
def listing(area):
    """One area's documents, newest first, searchable."""
    title = _area(area)
    page = request.args.get("page", 1, type=int)
    params = {"area": area, "page": page, "page_size": 25}
    if request.args.get("q"):
        params["q"] = request.args["q"]
    found = api.get("documents", "/documents", params=params)
    return render_template("portal/documents.html", area=area, title=title, found=found, page=page,
                           q=request.args.get("q", ""), columns=tables.columns(area, sessions.user()),
                           shown=tables.shown)


@bp.get("/documents/<area>/<number>")
@portal_required
def document(area, number):
    title = _area(area)
    shown = api.get("documents", f"/documents/{area}/{number}")
    return render_template("portal/document.html", area=area, title=title, document=shown,
                           facts=tables.facts(shown), aging=tables.AGING, shown=tables.shown)


@bp.route("/rfq", methods=["GET", "POST"])
@portal_required
def request_quote():
    """Send a request for quote; the ERP answers it with a quote."""
    _area("quotes")  # only who holds the Quotes area may ask for one
    errors = {}
    if request.method == "POST":
        f = request.form
        lines = []
        rows = zip(f.getlist("item_code"), f.getlist("description"), f.getlist("quantity"))
        for item, description, quantity in rows:
            if item.strip() or description.strip() or quantity.strip():
                line = {"line_number": len(lines) + 1, "description": description.strip(),
                        "quantity": quantity.strip()}
                if item.strip():
                    line["item_code"] = item.strip()
                lines.append(line)
        try:
            answer = api.call("documents", "POST", "/rfqs", json={"lines": lines, "notes": f.get("notes") or None},
                              headers={"Idempotency-Key": f.get("idempotency_key") or str(uuid.uuid4())}).json()
            flash(f"Thank you: we received your request for quote (reference {answer['request_id'][:8].upper()}). "
                  "You find our quote under Quotes once it is ready.", "success")
            return redirect(url_for("portal_documents.my_requests"))
        except api.ApiProblem as problem:
            errors = _line_errors(problem)
    return render_template("portal/rfq.html", errors=errors, form=request.form,
                           idempotency_key=request.form.get("idempotency_key") or str(uuid.uuid4())), \
        422 if errors else 200


def _line_errors(problem: api.ApiProblem) -> dict:
    """The refusal in words ("line 1: quantity: ..."), never a field path; {field: message} for the form."""
    errors = {e["field"]: e.get("detail") or "invalid" for e in problem.errors
              if isinstance(e, dict) and e.get("field")}
    if not errors:
        return forms.show_problem(problem) or {"form": problem.detail}
    flash("Please check: " + "; ".join(f"{words.field_name(f)} {m}" for f, m in errors.items()), "error")
    return errors


@bp.get("/requests")
@portal_required
def my_requests():
    """The requests for quote of the user's company, newest first."""
    _area("quotes")
    page = request.args.get("page", 1, type=int)
    found = api.get("documents", "/rfqs", params={"page": page, "page_size": 25})
    return render_template("portal/requests.html", found=found, page=page)
