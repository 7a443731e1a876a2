"""Inviting customers (seed 004): username administrators first, candidates filtered by customer type,
sales rep and price list, ticked one by one or all filtered, an address per invitation, sending with
progress and the skipped list, unapproved usernames to approve or delete (staff_users asks first), and the
history, each paged with counts."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required
from . import confirm, roles
from .customers import filter_choices

bp = Blueprint("staff_invitations", __name__, url_prefix="/staff/invitations")

FILTERS = ("customer_type", "sales_rep", "price_list", "q")
TABS = ("customers", "unapproved", "history", "administrators")


@bp.get("")
@staff_required
def index():
    """The page's tabs; only the chosen one is read from the services. A sales rep has the customers tab
    only, with their own customers."""
    role = roles.current()
    tabs = TABS if role.in_house else ("customers",)
    tab = request.args.get("tab", "customers")
    tab = tab if tab in tabs else "customers"
    admins = api.get("invitations", "/username-administrators") if role.in_house else None
    page = request.args.get("page", 1, type=int)
    context = {"tab": tab, "admins": admins, "tabs": tabs, "page": page, "role": role}
    if tab == "customers":
        chosen = _chosen(request.args)
        context.update(chosen=chosen, choices={} if role.sales_rep else filter_choices(), candidates=api.get(
            "invitations", "/candidates", params={**chosen, "page": page, "page_size": 50}))
    elif tab == "unapproved":
        context["unapproved"] = api.get("invitations", "/unapproved-usernames", params={"page": page, "page_size": 25})
    elif tab == "history":
        happened = request.args.get("happened") or None
        history = api.get("invitations", "/invitation-history",
                          params={"happened": happened, "page": page, "page_size": 50})
        context.update(happened=happened, history=history, open_rows=_open_rows(history["items"]))
    return render_template("staff/invitations.html", **context)


def _chosen(values) -> dict:
    chosen = {k: values[k] for k in FILTERS if values.get(k)}
    if roles.current().sales_rep:
        chosen["sales_rep"] = roles.current().sales_rep
    return chosen


@bp.post("/administrators")
@staff_required
@roles.in_house_required
def save_administrators():
    """Save up to three username administrators' addresses."""
    addresses = [a.strip() for a in request.form.getlist("admin_email") if a.strip()]
    try:
        api.put("invitations", "/username-administrators", {"emails": addresses})
        flash("Username administrators saved.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_invitations.index", tab="administrators"))


def _addresses(form) -> dict:
    """customer id -> the address typed for this invitation only (blank: the customer's own)."""
    typed = {}
    for key, value in form.items():
        if key.startswith("address-") and value.strip():
            typed[key.removeprefix("address-")] = forms.emails(value)
    return typed


@bp.post("/batches")
@staff_required
def send():
    """Send to the ticked customers, or to all filtered ones (every page), once the question is answered."""
    f = request.form
    chosen = _chosen(f)
    addresses = _addresses(f)
    everyone = api.get("invitations", "/candidates", params={**chosen, "page_size": 500})
    names = {c["customer_id"]: f"{c['name']} ({c['code']})" for c in everyone["items"]}
    if f.get("select") == "all-filtered" or f.get("all_filtered") == "1":
        body, count, who = {"filter": chosen}, everyone["total"], list(names.values())
    else:
        ticked = f.getlist("customer_id")
        if not ticked:
            flash("Tick at least one customer, or send to all filtered customers.", "error")
            return redirect(url_for("staff_invitations.index", **chosen))
        body, count = {"customer_ids": ticked}, len(ticked)
        who = [names.get(t, "a customer no longer without a username") for t in ticked]
        addresses = {k: v for k, v in addresses.items() if k in ticked}
    body["addresses"] = addresses
    if not confirm.confirmed():
        plural = "customer" if count == 1 else f"{count} customers"
        return confirm.ask(f"Send invitations to {plural}?" if count != 1 else "Send an invitation to 1 customer?",
                           f"Yes, send {count} invitation{'' if count == 1 else 's'}",
                           url_for("staff_invitations.index", **chosen), who, danger=False,
                           warning=None if count else "No customer matches: nothing would be sent.")
    try:
        batch = api.post("invitations", "/invitation-batches", body)
    except api.ApiProblem as problem:
        forms.show_problem(problem)
        return redirect(url_for("staff_invitations.index", **chosen))
    return redirect(url_for("staff_invitations.batch", batch_id=batch["batch_id"]))


@bp.get("/batches/<batch_id>")
@staff_required
def batch(batch_id):
    """Sending progress and, as it goes, the skipped customers with their reasons."""
    progress = api.get("invitations", f"/invitation-batches/{batch_id}")
    skipped = api.get("invitations", f"/invitation-batches/{batch_id}/skipped", params={"page_size": 200})
    return render_template("staff/batch.html", progress=progress, skipped=skipped)


@bp.get("/batches/<batch_id>.json")
@staff_required
def batch_progress(batch_id):
    return jsonify(api.get("invitations", f"/invitation-batches/{batch_id}"))


OPEN = ("sent", "resent", "opened")  # what an invitation that can still be accepted last did


def _open_rows(items: list[dict]) -> set[int]:
    """The rows (newest first) that offer resend and revoke: each invitation's latest, while it is open."""
    seen, rows = set(), set()
    for index, item in enumerate(items):
        invitation = item.get("invitation_id")
        if invitation and invitation not in seen:
            seen.add(invitation)
            if item["happened"] in OPEN:
                rows.add(index)
    return rows


@bp.post("/<uuid:invitation_id>/<any(resend, revoke):action>")
@staff_required
@roles.in_house_required
def change_invitation(invitation_id, action):
    """Resend (a new link, the old one dead) or revoke an invitation from the history."""
    try:
        api.post("invitations", f"/invitations/{invitation_id}/{action}", {})
        flash("Invitation resent: the earlier link no longer works." if action == "resend"
              else "Invitation revoked: its link no longer works.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_invitations.index", tab="history"))
