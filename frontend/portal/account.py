"""The customer's way in (seeds 002, 004): accept an invitation and register, set a password from a
link, log in, forgot password."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import api, forms, passwords, sessions

bp = Blueprint("portal_account", __name__)


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The portal's login page."""
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            tokens = api.post("identity", "/auth/login",
                              {"username": username, "password": request.form.get("password", "")}, token="")
        except api.ApiProblem as problem:
            if problem.code == passwords.CHANGE_REQUIRED:
                return _change_password_page(username, {})
            flash(problem.detail, "error")
            return render_template("portal/login.html", username=username), 401
        return _logged_in(tokens, username)
    return render_template("portal/login.html", username="")


def _logged_in(tokens: dict, username: str, message: str | None = None):
    if (tokens.get("user") or {}).get("user_type") != "portal":
        flash("Staff log in on the staff console.", "error")
        return render_template("portal/login.html", username=username, staff=True), 403
    sessions.remember(tokens)
    if message:
        flash(message, "success")  # after remember(): a new session starts without the old one's messages
    return redirect(sessions.safe_next(url_for("portal_documents.home")))


def _change_password_page(username: str, errors: dict, status: int = 200):
    return render_template("portal/change_password.html", username=username, errors=errors,
                           rules=passwords.rules(), action=url_for("portal_account.change_password"),
                           next=request.values.get("next", "")), status


@bp.post("/change-password")
def change_password():
    """Replace an initial password with one's own (current, new, new again), then log in."""
    tokens, errors = passwords.change(request.form)
    if tokens is None:
        return _change_password_page(request.form.get("username", ""), errors, 422)
    return _logged_in(tokens, request.form.get("username", ""), "Your new password is set.")


@bp.post("/logout")
def logout():
    sessions.forget()
    flash("You have logged out.", "info")
    return redirect(url_for("portal_account.login"))


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a link to set a new password; the answer is the same whether the username exists or not."""
    if request.method == "POST":
        try:
            answer = api.post("identity", "/auth/forgot-password", {"username": request.form.get("username", "")},
                              token="")
            flash(answer.get("detail") or "If the username exists, a link is on its way.", "info")
        except api.ApiProblem as problem:
            forms.show_problem(problem)
        return redirect(url_for("portal_account.login"))
    return render_template("portal/forgot_password.html")


@bp.route("/set-password", methods=["GET", "POST"])
def set_password():
    """Set a password with the token of a set-password or reset link."""
    token = request.values.get("token", "")
    if request.method == "POST":
        if request.form.get("password") != request.form.get("password_again"):
            return render_template("portal/set_password.html", token=token,
                                   errors={"password_again": "The two passwords differ."}), 422
        try:
            api.post("identity", "/auth/set-password", {"token": token, "password": request.form["password"]},
                     token="")
        except api.ApiProblem as problem:
            return render_template("portal/set_password.html", token=token, errors=forms.show_problem(problem)), 422
        flash("Your password is set: log in with it.", "success")
        return redirect(url_for("portal_account.login"))
    return render_template("portal/set_password.html", token=token, errors={})


@bp.route("/invitation", methods=["GET", "POST"])
def accept_invitation():
    """The invitation link's page: who invites whom, then the registration form."""
    token = request.values.get("token", "")
    try:
        invitation = api.post("invitations", "/invitation-links/open", {"token": token}, token="")
    except api.ApiProblem as problem:
        return render_template("portal/invitation_invalid.html", problem=problem), problem.status
    errors = {}
    if request.method == "POST":
        f = request.form
        if f.get("password") != f.get("password_again"):
            errors = {"password_again": "The two passwords differ."}
        else:
            body = {"invitation_token": token, "username": f.get("username", "").strip(),
                    "first_name": f.get("first_name", "").strip(), "last_name": f.get("last_name", "").strip(),
                    "emails": forms.emails(f.get("emails", "")), "password": f.get("password", "")}
            try:
                api.post("identity", "/registrations", body, token="")
                return render_template("portal/registered.html", invitation=invitation,
                                       username=body["username"])
            except api.ApiProblem as problem:
                errors = forms.show_problem(problem)
    return render_template("portal/invitation.html", invitation=invitation, token=token, errors=errors,
                           form=request.form, rules=passwords.rules()), 422 if errors else 200
