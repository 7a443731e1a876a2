"""A customer's contacts (seed 002: "the person should be added as a CRM Person first"): add, change,
remove after asking."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required
from . import confirm, roles

bp = Blueprint("staff_contacts", __name__, url_prefix="/staff/customers/<code>/contacts")

FIELDS = ("first_name", "last_name", "email", "phone", "title")


def _typed(form, keep_empty: bool) -> dict:
    body = {k: form.get(k, "").strip() for k in FIELDS}
    return {k: (v or None) for k, v in body.items() if v or keep_empty}


def find_contact(customer: dict, contact_id: str) -> dict:
    for contact in customer.get("contacts", []):
        if contact["contact_id"] == contact_id:
            return contact
    raise api.ApiProblem(404, "contact.not_found", "This contact is no longer on the customer.")


def contact_on(code: str, contact_id: str) -> tuple[dict, dict, str]:
    """The customer, its contact and the contact's name as a person reads it."""
    customer = api.get("identity", f"/customers/{code}")
    contact = find_contact(customer, contact_id)
    return customer, contact, f"{contact['first_name']} {contact['last_name']}"


@bp.route("/new", methods=["GET", "POST"])
@staff_required
@roles.in_house_required
def new(code):
    """Add a contact person to a company."""
    customer, errors = api.get("identity", f"/customers/{code}"), {}
    if request.method == "POST":
        try:
            added = api.post("identity", f"/customers/{code}/contacts", _typed(request.form, keep_empty=False))
            contact = added.get("contact") or {}
            flash(f"Contact {contact.get('first_name')} {contact.get('last_name')} added.", "success")
            return redirect(url_for("staff_customers.show", code=code))
        except api.ApiProblem as problem:
            errors = forms.show_problem(problem)
    return render_template("staff/contact_form.html", customer=customer, contact=None, form=request.form,
                           errors=errors), 422 if errors else 200


@bp.route("/<contact_id>/edit", methods=["GET", "POST"])
@staff_required
@roles.in_house_required
def edit(code, contact_id):
    """Change a contact's name, e-mail, phone or title."""
    customer, errors = api.get("identity", f"/customers/{code}"), {}
    contact = find_contact(customer, contact_id)
    if request.method == "POST":
        body = {k: v for k, v in _typed(request.form, keep_empty=True).items() if v != contact.get(k)}
        body["expected_version"] = customer["version"]
        try:
            api.patch("identity", f"/customers/{code}/contacts/{contact_id}", body)
            flash("Contact saved." if len(body) > 1 else "Nothing changed.", "success")
            return redirect(url_for("staff_customers.show", code=code))
        except api.ApiProblem as problem:
            errors = forms.show_problem(problem)
    form = request.form if request.method == "POST" else {k: contact.get(k) or "" for k in FIELDS}
    return render_template("staff/contact_form.html", customer=customer, contact=contact, form=form,
                           errors=errors), 422 if errors else 200


@bp.post("/<contact_id>/remove")
@staff_required
@roles.in_house_required
def remove(code, contact_id):
    """Remove a contact after asking; portal users linked to it keep their username."""
    customer, contact, name = contact_on(code, contact_id)
    if not confirm.confirmed():
        return confirm.ask(f"Remove the contact {name} from {customer['name']}?", f"Remove {name}",
                           url_for("staff_customers.show", code=code), who=[f"{name} ({contact['email']})"])
    try:
        api.call("identity", "DELETE", f"/customers/{code}/contacts/{contact_id}",
                 params={"expected_version": customer["version"]})
        flash(f"Contact {name} removed.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_customers.show", code=code))
