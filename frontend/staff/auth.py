"""Staff log in with identity's login; a portal user's credentials are refused here."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import api, forms, passwords, sessions, sign_in_security

bp = Blueprint("staff_auth", __name__, url_prefix="/staff")

SECOND_STEP = "auth.second_factor_required"
SET_UP_FIRST = "auth.second_factor_enrolment_required"


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The staff console's login page."""
    if request.method == "POST":
        username = request.form.get("username", "")
        try:
            tokens = api.post("identity", "/auth/login", {"username": username,
                                                          "password": request.form.get("password", "")}, token="")
        except api.ApiProblem as problem:
            if problem.code == passwords.CHANGE_REQUIRED:
                return _change_password_page(username, {})
            if problem.code == SECOND_STEP:
                return _second_step_page(problem.body.get("login_token", ""))
            if problem.code == SET_UP_FIRST:
                return _set_up_page(problem.body.get("login_token", ""))
            flash(problem.detail, "error")
            return render_template("staff/login.html", username=username), 401
        return _logged_in(tokens)
    return render_template("staff/login.html", username="")


def _logged_in(tokens: dict, message: str | None = None):
    if (tokens.get("user") or {}).get("user_type") != "staff":
        flash("This is the staff console: customers log in on the portal's page.", "error")
        return render_template("staff/login.html", username=""), 403
    sessions.remember(tokens)
    if message:
        flash(message, "success")  # after remember(): a new session starts without the old one's messages
    return redirect(sessions.safe_next(url_for("staff_customers.index")))


def _change_password_page(username: str, errors: dict, status: int = 200):
    return render_template("staff/change_password.html", username=username, errors=errors,
                           rules=passwords.rules(), action=url_for("staff_auth.change_password"),
                           next=request.values.get("next", "")), status


def _second_step_page(login_token: str, error: str | None = None, status: int = 200):
    return render_template("staff/second_step.html", login_token=login_token, error=error,
                           next=request.values.get("next", "")), status


def _login_over(status: int, why: str | None = None):
    flash(why or "That login took too long or is over: log in again.", "error")
    return render_template("staff/login.html", username=""), status


def _set_up_page(login_token: str, error: str | None = None, status: int = 200):
    """The policy's required second step, set up before the login ends: an authenticator app's QR code."""
    try:
        setup = api.post("identity", "/auth/second-factor/enrolment/totp", {"login_token": login_token}, token="")
    except api.ApiProblem:
        return _login_over(401)
    return render_template("staff/second_step.html", login_token=login_token, setup=setup, error=error,
                           next=request.values.get("next", "")), status


@bp.post("/login/set-up")
def set_up():
    """The new authenticator app's first code: logged in, the recovery codes shown once."""
    login_token = request.form.get("login_token", "")
    try:
        done = api.post("identity", "/auth/second-factor/enrolment/totp/confirm",
                        {"login_token": login_token, "code": request.form.get("code", "")[:20]}, token="")
    except api.ApiProblem as problem:
        if problem.status == 400:
            return _set_up_page(login_token, "That code was not accepted: type the code the app shows now.", 422)
        return _login_over(problem.status)
    if (done["tokens"].get("user") or {}).get("user_type") != "staff":
        return _logged_in(done["tokens"])  # refused, as any portal user's login here
    sessions.remember(done["tokens"])
    return sign_in_security.shown("staff_security", "staff/base.html", codes=done.get("recovery_codes") or [])


@bp.post("/login/second-step")
def second_step():
    """The login's second step: the authenticator app's code or a recovery code, then in."""
    f = request.form
    proof = {"recovery_code": f["recovery_code"]} if f.get("recovery_code") else {"code": f.get("code", "")}
    try:
        tokens = api.post("identity", "/auth/second-factor/verify", {"login_token": f.get("login_token", ""), **proof},
                          token="")
    except api.ApiProblem as problem:
        if problem.status in (400, 401) and problem.code != "auth.login_token_invalid":
            return _second_step_page(f.get("login_token", ""), "That code was not accepted: try again.", 401)
        return _login_over(problem.status, None if problem.code == "auth.login_token_invalid" else problem.detail)
    return _logged_in(tokens)


@bp.post("/change-password")
def change_password():
    """Replace an initial password with one's own (current, new, new again), then log in."""
    tokens, errors = passwords.change(request.form)
    if tokens is None:
        return _change_password_page(request.form.get("username", ""), errors, 422)
    return _logged_in(tokens, "Your new password is set.")


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
        return redirect(url_for("staff_auth.login"))
    return render_template("staff/forgot_password.html")


@bp.post("/logout")
def logout():
    sessions.forget()
    flash("You have logged out.", "info")
    return redirect(url_for("staff_auth.login"))


@bp.get("/")
def home():
    return redirect(url_for("staff_customers.index"))
