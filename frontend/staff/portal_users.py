"""Portal users (seeds 000, 002, 004): the tenant-wide list with search and billing counts, a user's page
with its contact, receivable account and areas, adding one from a customer's page, and approve, disable,
enable and delete, each asked first."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from .. import api, forms, sessions
from ..sign_in_security import METHOD_NAMES
from ..sessions import staff_required
from . import confirm, roles
from .customers import AREAS, customer_page

bp = Blueprint("staff_users", __name__, url_prefix="/staff")

STATUSES = ("pending", "active", "disabled")
DONE = {"approve": "approved", "disable": "disabled", "enable": "enabled", "delete": "deleted"}

@bp.get("/users")
@staff_required
@roles.in_house_required
def index():
    """Every portal username of the tenant, searched and filtered, with the billing counts (seed 004)."""
    chosen = {k: request.args[k] for k in ("q", "status", "customer_code") if request.args.get(k)}
    page = request.args.get("page", 1, type=int)
    found = api.get("identity", "/portal-users", params={**chosen, "page": page, "page_size": 25})
    return render_template("staff/users.html", found=found, chosen=chosen, page=page, statuses=STATUSES)

@bp.get("/users/<uuid:user_id>")
@staff_required
def show(user_id):
    """One portal user: customer, linked contact, receivable account, areas and what may be done."""
    user = api.get("identity", f"/users/{user_id}")
    customer = api.get("identity", f"/customers/{user['customer_code']}") if user.get("customer_code") else None
    contact = next((c for c in (customer or {}).get("contacts", []) if c["contact_id"] == user.get("contact_id")), None)
    return render_template("staff/user.html", user=user, customer=customer, contact=contact, areas=AREAS)

@bp.get("/users/suggested-username.json")
@staff_required
def suggested_username():
    """firstname.lastname, free in the tenant (seed 002): what choosing a contact fills in."""
    return jsonify(api.get("identity", "/users/suggested-username", read_after=False,
                           params={"first_name": request.args.get("first_name", ""),
                                   "last_name": request.args.get("last_name", "")}))

@bp.post("/customers/<code>/portal-users")
@staff_required
def add(code):
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
        return customer_page(code, forms.show_problem(problem), 422)
    pair = f" and {created['staff_user']['username']}" if created.get("staff_user") else ""
    flash(f"Portal user {created['username']}{pair} created.", "success")
    return redirect(url_for("staff_customers.show", code=code))

@bp.post("/users/<uuid:user_id>/access")
@staff_required
@roles.in_house_required
def change_access(user_id):
    """Set a portal user's areas and the own-orders flag."""
    try:
        api.patch("identity", f"/users/{user_id}/access",
                  {"areas": request.form.getlist("areas"),
                   "own_orders_only": forms.checked(request.form, "own_orders_only")})
        flash("Access saved.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(sessions.safe_next(url_for("staff_users.show", user_id=user_id)))

def _twin(user: dict) -> dict | None:
    """The "S" staff user of a management user (seed 004), if it still exists."""
    if user.get("kind") != "management" or not user.get("customer_code"):
        return None
    names = api.get("identity", f"/customers/{user['customer_code']}/usernames").get("items", [])
    return next((u for u in names if u.get("kind") == "staff"
                 and u["username"].lower() == f"{user['username']}s".lower()), None)

def _question(action: str, user: dict, back: str):
    who = [f"{user['username']} ({user.get('customer_code') or 'staff'})"]
    name = user["username"]
    if action == "approve":
        warning = None if user.get("areas") else (f"{name} has no access area: once approved they can log in but will "
                                                  "see nothing. Give them areas first on their page.")
        return confirm.ask(f"Approve {name}?", f"Yes, approve {name}", back, who, warning, danger=False)
    if action == "disable":
        return confirm.ask(f"Disable {name}?", f"Yes, disable {name}", back, who,
                           f"{name} is logged out and cannot log in until enabled again.")
    if action == "enable":
        return confirm.ask(f"Enable {name} again?", f"Yes, enable {name}", back, who, danger=False)
    twin = _twin(user)
    choices = None
    if twin:
        choices = [("both", f"Delete its staff user {twin['username']} too"),
                   ("keep", f"Keep {twin['username']}")]
    return confirm.ask(f"Delete {name}?", f"Yes, delete {name}", back, who,
                       f"{name} can no longer log in and stops counting for billing. This cannot be undone.",
                       choices=choices, choice_name="twin")

@bp.post("/users/<uuid:user_id>/<any(approve, delete, disable, enable):action>")
@staff_required
@roles.in_house_required
def change(user_id, action):
    """Approve, delete, disable or enable a portal user, once the question is answered."""
    back = sessions.safe_next(url_for("staff_users.show", user_id=user_id))
    user = api.get("identity", f"/users/{user_id}")
    if not confirm.confirmed():
        return _question(action, user, back)
    done = []
    try:
        twin = _twin(user) if action == "delete" and request.form.get("twin") == "both" else None
        for target in ([twin] if twin else []) + [user]:
            api.post("identity", f"/users/{target['user_id']}/{action}", {})
            done.append(target["username"])
        flash(f"{' and '.join(done)} {DONE[action]}.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    if action == "delete" and back == url_for("staff_users.show", user_id=user_id):
        back = url_for("staff_customers.show", code=user["customer_code"]) if user.get("customer_code") else \
            url_for("staff_users.index")
    return redirect(back)

@bp.post("/users/<uuid:user_id>/second-factors/<any(totp, passkey):method>/remove")
@staff_required
@roles.in_house_required
def remove_second_factor(user_id, method):
    """Remove a user's second factor for a lost device, once asked; they set one up again if the policy says so."""
    back = url_for("staff_users.show", user_id=user_id)
    user, name = api.get("identity", f"/users/{user_id}"), METHOD_NAMES[method]
    if not confirm.confirmed():
        return confirm.ask(f"Remove {user['username']}'s {name}?", f"Yes, remove {user['username']}'s {name}", back,
                           [f"{user['username']} ({user.get('customer_code') or 'staff'}): {name}"],
                           f"{user['username']} can no longer log in with this {name}; if this site requires a second "
                           "step, they set up a new one at their next login. Do this only once you know it is them.")
    try:
        api.call("identity", "DELETE", f"/users/{user_id}/second-factors/{method}")
        flash(f"{user['username']}'s {name} is removed.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(back)
