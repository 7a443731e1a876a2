"""Customers (seeds 000, 001, 002, 004): search and filters, a customer's page, and adding, changing and
archiving customers by hand. A sales rep sees only their own customers, without choosing the filter."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required
from . import confirm, roles

bp = Blueprint("staff_customers", __name__, url_prefix="/staff/customers")

FILTERS = ("q", "kind", "customer_type", "sales_rep", "price_list", "status")
AREAS = ("quotes", "orders", "invoices", "ar_statements", "shipments")
EDITABLE = ("kind", "name", "receivable_account", "customer_type", "sales_rep", "price_list", "emails", "phone")


def filter_choices() -> dict:
    """The tenant's customer types, sales reps and price lists, for in-house staff's filters."""
    try:
        return api.get("identity", "/customers/filter-values")
    except api.ApiProblem:
        return {}


@bp.get("")
@staff_required
def index():
    """Customers searched by name or code and filtered; a sales rep's are always their own."""
    chosen = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    role = roles.current()
    if role.sales_rep:
        chosen["sales_rep"] = role.sales_rep
    page = request.args.get("page", 1, type=int)
    found = api.get("identity", "/customers", params={**chosen, "page": page, "page_size": 25})
    return render_template("staff/customers.html", found=found, chosen=chosen, page=page,
                           choices={} if role.sales_rep else filter_choices())


def _body(form, keep_empty: bool) -> dict:
    body = {}
    for key in EDITABLE:
        value = form.get(key, "").strip()
        if key == "emails":
            body[key] = forms.emails(value)
        elif value or keep_empty:
            body[key] = value or None
    return body


@bp.route("/new", methods=["GET", "POST"])
@staff_required
@roles.in_house_required
def new():
    """Add a customer by hand (seed 001's "add new")."""
    errors = {}
    if request.method == "POST":
        body = {"code": request.form.get("code", "").strip(), **_body(request.form, keep_empty=False)}
        try:
            created = api.post("identity", "/customers", body)
            flash(f"Customer {created['name']} ({created['code']}) added.", "success")
            return redirect(url_for("staff_customers.show", code=created["code"]))
        except api.ApiProblem as problem:
            errors = forms.show_problem(problem)
    return render_template("staff/customer_form.html", customer=None, form=request.form, errors=errors,
                           choices=filter_choices()), 422 if errors else 200


@bp.route("/<code>/edit", methods=["GET", "POST"])
@staff_required
@roles.in_house_required
def edit(code):
    """Change a customer's details; a change made meanwhile by someone else is not overwritten."""
    customer, errors = api.get("identity", f"/customers/{code}"), {}
    if request.method == "POST":
        body = {k: v for k, v in _body(request.form, keep_empty=True).items()
                if v != (customer.get(k) or ([] if k == "emails" else None))}
        body["expected_version"] = request.form.get("version", type=int)
        try:
            api.patch("identity", f"/customers/{code}", body)
            flash("Customer details saved." if len(body) > 1 else "Nothing changed.", "success")
            return redirect(url_for("staff_customers.show", code=code))
        except api.ApiProblem as problem:
            errors = forms.show_problem(problem)
    form = request.form if request.method == "POST" else {
        **{k: customer.get(k) or "" for k in EDITABLE}, "emails": "; ".join(customer.get("emails") or [])}
    return render_template("staff/customer_form.html", customer=customer, form=form, errors=errors,
                           choices=filter_choices()), 422 if errors else 200


@bp.post("/<code>/archive")
@staff_required
@roles.in_house_required
def archive(code):
    """Archive a customer after asking: no new portal users or invitations for it."""
    customer = api.get("identity", f"/customers/{code}")
    if not confirm.confirmed():
        return confirm.ask(f"Archive {customer['name']} ({code})?", f"Archive {customer['name']}",
                           url_for("staff_customers.show", code=code), who=[f"{customer['name']} ({code})"],
                           warning="No new portal user or invitation can be made for an archived customer.")
    try:
        api.post("identity", f"/customers/{code}/archive", {"reason": request.form.get("reason") or None,
                                                             "expected_version": customer["version"]})
        flash(f"{customer['name']} archived.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_customers.show", code=code))


def customer_page(code: str, form_errors: dict | None = None, status: int = 200):
    """A customer's page: details, contacts, portal users with their billing count, and its history."""
    customer = api.get("identity", f"/customers/{code}")
    usernames = api.get("identity", f"/customers/{code}/usernames")
    users = [api.get("identity", f"/users/{u['user_id']}") for u in usernames.get("items", [])]
    page = request.args.get("page", 1, type=int)
    history = api.get("identity", f"/customers/{code}/history", params={"page": page, "page_size": 25})
    tenant_settings = api.get("identity", "/settings")
    contacts = {c["contact_id"]: c for c in customer.get("contacts", [])}
    return render_template("staff/customer.html", customer=customer, users=users, billed=usernames.get("count", 0),
                           history=history, page=page, areas=AREAS, errors=form_errors or {}, form=request.form,
                           contacts=contacts, may_create_users=roles.current().may_create_users(tenant_settings)), status


@bp.get("/<code>")
@staff_required
def show(code):
    """One customer: contacts, portal users and the history of its events."""
    return customer_page(code)
