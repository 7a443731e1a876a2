"""The tenant's client apps (issue 19): the portals and apps that log people in through identity's login
page (OpenID Connect clients), registered, changed and removed by system administrators. A confidential
client's secret is shown once, on the page right after registering it; removal asks first, naming it."""
from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required
from . import confirm, roles

bp = Blueprint("staff_clients", __name__, url_prefix="/staff/clients")


def _system_administrator() -> None:
    if not roles.current().system_administrator:
        abort(403, "Client apps are managed by system administrators.")


def _addresses(text: str) -> list[str]:
    """One address a line (or separated by spaces), as an administrator pastes them."""
    return [a for a in text.split() if a]


def _changes(form) -> dict:
    return {"name": form.get("name", "").strip(), "redirect_uris": _addresses(form.get("redirect_uris", "")),
            "post_logout_redirect_uris": _addresses(form.get("post_logout_redirect_uris", "")),
            "sign_up_uri": form.get("sign_up_uri", "").strip() or None}


def _field_errors(problem: api.ApiProblem) -> dict:
    """The problem's fields as the form's: redirect_uris.0 is said beside the return addresses."""
    return {field.split(".")[0]: message for field, message in forms.show_problem(problem).items()}


def _list_page(errors: dict | None = None, form=None, secret: dict | None = None, status: int = 200):
    return render_template("staff/clients.html", clients=api.get("identity", "/oidc/clients"), errors=errors or {},
                           form=form or {}, secret=secret), status


def _find(client_id: str) -> dict:
    found = [c for c in api.get("identity", "/oidc/clients") if c["client_id"] == client_id]
    if not found:
        abort(404)
    return found[0]


@bp.get("")
@staff_required
def index():
    _system_administrator()
    return _list_page()


@bp.post("")
@staff_required
def register():
    """Register a client; a confidential one's secret is on this answer's page only."""
    _system_administrator()
    body = {**_changes(request.form), "client_id": request.form.get("client_id", "").strip(),
            "client_type": request.form.get("client_type", "")}
    try:
        made = api.post("identity", "/oidc/clients", body)
    except api.ApiProblem as problem:
        return _list_page(_field_errors(problem), request.form, status=422)
    flash(f"{made['name']} is registered.", "success")
    return _list_page(secret=made if made.get("client_secret") else None)


@bp.route("/<client_id>", methods=["GET", "POST"])
@staff_required
def edit(client_id):
    """Change a client's name and addresses (matched exactly: the whole address, nothing added)."""
    _system_administrator()
    client, errors = _find(client_id), {}
    if request.method == "POST":
        try:
            api.put("identity", f"/oidc/clients/{client_id}", _changes(request.form))
            flash(f"{request.form.get('name', client_id)} saved.", "success")
            return redirect(url_for("staff_clients.index"))
        except api.ApiProblem as problem:
            errors = _field_errors(problem)
    return render_template("staff/client.html", client=client, errors=errors,
                           form=request.form if request.method == "POST" else None), 422 if errors else 200


@bp.post("/<client_id>/remove")
@staff_required
def remove(client_id):
    """Remove a client after asking, naming it: it gets no more logins, its people's sessions end."""
    _system_administrator()
    client = _find(client_id)
    if not confirm.confirmed():
        return confirm.ask(f"Remove the client app “{client['name']}”?", f"Yes, remove {client['name']}",
                           url_for("staff_clients.index"), who=[f"{client['name']} ({client['client_id']})"],
                           warning="Nobody can log in through it any more, and whoever is logged in there is "
                                   "logged out when their session next renews.")
    api.call("identity", "DELETE", f"/oidc/clients/{client_id}")
    flash(f"{client['name']} removed.", "success")
    return redirect(url_for("staff_clients.index"))
