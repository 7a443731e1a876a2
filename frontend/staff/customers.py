"""Customers (seeds 000, 002, 004): search and filters, one customer's contacts, portal users and history,
and adding a portal user with the welcome e-mail option."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import api, forms, sessions
from ..sessions import staff_required

bp = Blueprint("staff_customers", __name__, url_prefix="/staff/customers")

FILTERS = ("q", "kind", "customer_type", "sales_rep", "price_list", "status")
AREAS = ("quotes", "orders", "invoices", "ar_statements", "shipments")


@bp.get("")
@staff_required
def index():
    """Customers searched by name or code and filtered."""
    chosen = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    page = request.args.get("page", 1, type=int)
    found = api.get("identity", "/customers", params={**chosen, "page": page, "page_size": 25})
    return render_template("staff/customers.html", found=found, chosen=chosen, page=page)


def _customer_page(code: str, form_errors: dict | None = None, status: int = 200):
    customer = api.get("identity", f"/customers/{code}")
    usernames = api.get("identity", f"/customers/{code}/usernames")
    users = [api.get("identity", f"/users/{u['user_id']}") for u in usernames.get("items", [])]
    history = api.get("identity", f"/customers/{code}/history", params={"page_size": 50})
    return render_template("staff/customer.html", customer=customer, users=users, history=history,
                           areas=AREAS, errors=form_errors or {}, form=request.form), status


@bp.get("/<code>")
@staff_required
def show(code):
    """One customer: contacts, portal users and the history of its events."""
    return _customer_page(code)


@bp.post("/<code>/portal-users")
@staff_required
def add_portal_user(code):
    """Create a portal user (or a management/staff pair), optionally with the welcome e-mail."""
    f = request.form
    body = {"customer_code": code, "username": f.get("username", "").strip(),
            "emails": forms.emails(f.get("emails", "")), "areas": f.getlist("areas"),
            "own_orders_only": forms.checked(f, "own_orders_only"),
            "with_staff_user": forms.checked(f, "with_staff_user"),
            "send_welcome_email": forms.checked(f, "send_welcome_email")}
    if f.get("contact_id"):
        body["contact_id"] = f["contact_id"]
    if f.get("initial_password"):
        body["initial_password"] = f["initial_password"]
    try:
        created = api.post("identity", "/users", body)
    except api.ApiProblem as problem:
        return _customer_page(code, forms.show_problem(problem), 422)
    pair = f" and {created['staff_user']['username']}" if created.get("staff_user") else ""
    flash(f"Portal user {created['username']}{pair} created.", "success")
    return redirect(url_for("staff_customers.show", code=code))


@bp.post("/<code>/portal-users/<user_id>/access")
@staff_required
def change_access(code, user_id):
    """Set a portal user's areas and the own-orders flag."""
    try:
        api.patch("identity", f"/users/{user_id}/access",
                  {"areas": request.form.getlist("areas"),
                   "own_orders_only": forms.checked(request.form, "own_orders_only")})
        flash("Access saved.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_customers.show", code=code))


@bp.post("/<code>/portal-users/<user_id>/<any(approve, delete, disable, enable):action>")
@staff_required
def change_user(code, user_id, action):
    """Approve, delete, disable or enable a portal user."""
    try:
        user = api.post("identity", f"/users/{user_id}/{action}", {})
        flash(f"{user.get('username', 'The user')}: {action} done.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(sessions.safe_next(url_for("staff_customers.show", code=code)))
