"""The customer's way in (seeds 002, 004): accept an invitation and register, set a password from a
link, log in (through identity's login page, frontend/oidc.py; the first password is chosen there),
forgot password."""
from __future__ import annotations

from authlib.integrations.base_client import OAuthError
from flask import Blueprint, redirect, render_template, request, session, url_for

from .. import api, forms, oidc, passwords, sessions

bp = Blueprint("portal_account", __name__)


@bp.get("/login")
def login():
    """Log in at identity's login page (the code flow), coming back to the page asked for."""
    session["login_next"] = sessions.safe_next(url_for("portal_documents.home"))
    return oidc.start()


@bp.get("/oidc/callback")
def callback():
    """Where identity sends the browser back with a code: exchanged for tokens, the ID token checked."""
    try:
        tokens = oidc.finish()
    except OAuthError:
        return render_template("portal/login_failed.html"), 400
    next_page = session.get("login_next") or url_for("portal_documents.home")
    if (tokens.get("userinfo") or {}).get("user_type") != "portal":
        oidc.end_session(tokens["id_token"])
        return render_template("portal/login_failed.html", staff=True), 403
    sessions.remember_oidc(tokens)
    return redirect(next_page)


@bp.post("/logout")
def logout():
    """Log out here and at identity (its end-session page sends the browser back to the page below)."""
    return redirect(sessions.forget() or url_for("portal_account.logged_out"))


@bp.get("/logged-out")
def logged_out():
    return render_template("portal/logged_out.html")


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a link to set a new password; the answer is the same whether the username exists or not."""
    if request.method == "POST":
        try:
            answer = api.post("identity", "/auth/forgot-password", {"username": request.form.get("username", "")},
                              token="")
        except api.ApiProblem as problem:
            forms.show_problem(problem)
            return render_template("portal/forgot_password.html"), problem.status
        return render_template("portal/done.html", title="Forgot password", category="info",
                               message=answer.get("detail") or "If the username exists, a link is on its way.")
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
        return render_template("portal/done.html", title="Your password is set", category="success",
                               message="Your password is set: log in with it.")
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
