"""Forget a person (issue 17): a contact, a portal user or an individual customer, for system administrators.
Asked first, naming who and saying what it means, with the reason that goes on record; identity then
deletes the person's key, so their name, addresses and phone are gone everywhere in Portico."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, request, url_for

from .. import api, forms, sessions
from ..sessions import staff_required
from . import confirm, roles
from .contacts import contact_on

bp = Blueprint("staff_forgetting", __name__, url_prefix="/staff")

WARNING = ("Their name, e-mail addresses, phone and addresses are erased everywhere in Portico for good; what "
           "happened stays in the history without them. This cannot be undone. E-mails already sent and copies "
           "outside Portico (the accounting system, backups) are not touched.")
REASON = "Why they are forgotten (kept on record, for example: asked to be forgotten, left the company)"


def _forget(subject: str, name: str, who: str, back: str):
    """Ask first; once confirmed, ask identity to forget them and say so."""
    if not confirm.confirmed():
        return confirm.ask(f"Forget {name}?", f"Yes, forget {name}", back, [who], WARNING, reason=REASON)
    try:
        api.post("identity", f"/people/{subject}/erasure", {"reason": request.form.get("reason", "").strip()})
        flash(f"{name} is forgotten: their personal details are erased everywhere in Portico.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(back)


@bp.post("/customers/<code>/forget")
@staff_required
@roles.system_administrator_required
def customer(code):
    """Forget an individual customer (a company is nobody's personal data)."""
    found = api.get("identity", f"/customers/{code}")
    if found.get("kind") != "individual":
        flash(f"{found['name']} is a company: only a person can be forgotten.", "error")
        return redirect(url_for("staff_customers.show", code=code))
    who = f"{found['name']} (customer {code}, {'; '.join(found.get('emails') or []) or 'no e-mail'})"
    return _forget(f"customer-{found['customer_id']}", found["name"], who, url_for("staff_customers.show", code=code))


@bp.post("/customers/<code>/contacts/<contact_id>/forget")
@staff_required
@roles.system_administrator_required
def contact(code, contact_id):
    """Forget a customer's contact."""
    found, person, name = contact_on(code, contact_id)
    return _forget(f"contact-{contact_id}", name, f"{name}, contact of {found['name']} ({person['email']})",
                   url_for("staff_customers.show", code=code))


@bp.post("/users/<uuid:user_id>/forget")
@staff_required
@roles.system_administrator_required
def user(user_id):
    """Forget a portal user (the username stays: it is an identifier, change it first if it names them)."""
    found = api.get("identity", f"/users/{user_id}")
    who = f"{found['username']} ({found.get('customer_code') or 'staff'}, {'; '.join(found.get('emails') or [])})"
    back = sessions.safe_next(url_for("staff_users.show", user_id=user_id))
    return _forget(f"user-{user_id}", found["username"], who, back)
