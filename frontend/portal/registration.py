"""Signing up on the portal without an invitation (seed 001): a person registers for their business (or for
themselves, where the distributor allows personal accounts) and waits for approval. The answer may say
little (the registration API answers alike whether a customer number exists), so the page never relies on it."""
from __future__ import annotations

from flask import Blueprint, flash, render_template, request

from .. import api, forms, passwords

bp = Blueprint("portal_registration", __name__)

# The API's refusals in the words of this page's fields.
WORDS = {"registration.business_name_required":
         ("business_name", "Enter your business name: this portal registers businesses, not private persons.")}


def body(form) -> dict:
    """The registration as identity takes it; empty optional fields left out."""
    sent = {"username": form.get("username", "").strip(), "password": form.get("password", ""),
            "first_name": form.get("first_name", "").strip(), "last_name": form.get("last_name", "").strip(),
            "emails": forms.emails(form.get("emails", ""))}
    for optional in ("business_name", "customer_code"):
        if form.get(optional, "").strip():
            sent[optional] = form[optional].strip()
    return sent


def _refused(problem: api.ApiProblem) -> dict:
    """{field: message} for the form; a refusal this page words itself is shown in those words only."""
    if problem.code not in WORDS:
        return forms.show_problem(problem)
    field, words = WORDS[problem.code]
    flash(words, "error")
    return {field: words}


@bp.route("/register", methods=["GET", "POST"])
def register():
    """The sign-up form; answered with "we received your registration" and the approval it waits for."""
    errors = {}
    if request.method == "POST":
        if request.form.get("password") != request.form.get("password_again"):
            errors = {"password_again": "The two passwords differ."}
        else:
            try:
                api.post("identity", "/registrations", body(request.form), token="")
                return render_template("portal/registered.html", username=request.form.get("username", "").strip(),
                                       invitation=None)
            except api.ApiProblem as problem:
                errors = _refused(problem)
    return render_template("portal/register.html", errors=errors, form=request.form,
                           rules=passwords.rules()), 422 if errors else 200
