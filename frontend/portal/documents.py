"""The portal's pages for a logged-in customer (seeds 002, 003): the bulletin, their documents by
area (only what the documents service lets them see) and sending a request for quote."""
from __future__ import annotations

import uuid

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import portal_required

bp = Blueprint("portal_documents", __name__)

AREAS = {"quotes": "Quotes", "orders": "Orders", "invoices": "Invoices", "ar_statements": "A/R statements",
         "shipments": "Shipments"}


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
    return render_template("portal/home.html", bulletin=_bulletin(), areas=AREAS)


@bp.get("/documents/<area>")
@portal_required
def listing(area):
    """One area's documents, newest first, searchable."""
    if area not in AREAS:
        abort(404)
    page = request.args.get("page", 1, type=int)
    params = {"area": area, "page": page, "page_size": 25}
    if request.args.get("q"):
        params["q"] = request.args["q"]
    found = api.get("documents", "/documents", params=params)
    return render_template("portal/documents.html", area=area, title=AREAS[area], found=found, page=page,
                           q=request.args.get("q", ""))


@bp.get("/documents/<area>/<number>")
@portal_required
def document(area, number):
    if area not in AREAS:
        abort(404)
    shown = api.get("documents", f"/documents/{area}/{number}")
    return render_template("portal/document.html", area=area, title=AREAS[area], document=shown)


@bp.route("/rfq", methods=["GET", "POST"])
@portal_required
def request_quote():
    """Send a request for quote; the ERP answers it with a quote."""
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
            flash(f"Request for quote sent (reference {answer['request_id']}).", "success")
            return redirect(url_for("portal_documents.listing", area="quotes"))
        except api.ApiProblem as problem:
            errors = forms.show_problem(problem)
    return render_template("portal/rfq.html", errors=errors, form=request.form,
                           idempotency_key=request.form.get("idempotency_key") or str(uuid.uuid4())), \
        422 if errors else 200
