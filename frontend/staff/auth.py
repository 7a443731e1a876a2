"""Staff log in with identity's login; a portal user's credentials are refused here."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .. import api, sessions

bp = Blueprint("staff_auth", __name__, url_prefix="/staff")


@bp.route("/login", methods=["GET", "POST"])
def login():
    """The staff console's login page."""
    if request.method == "POST":
        try:
            tokens = api.post("identity", "/auth/login", {"username": request.form.get("username", ""),
                                                          "password": request.form.get("password", "")}, token="")
        except api.ApiProblem as problem:
            flash(problem.detail, "error")
            return render_template("staff/login.html", username=request.form.get("username", "")), 401
        if (tokens.get("user") or {}).get("user_type") != "staff":
            flash("This is the staff console: customers log in on the portal's page.", "error")
            return render_template("staff/login.html", username=""), 403
        sessions.remember(tokens)
        return redirect(sessions.safe_next(url_for("staff_customers.index")))
    return render_template("staff/login.html", username="")


@bp.post("/logout")
def logout():
    sessions.forget()
    flash("You have logged out.", "info")
    return redirect(url_for("staff_auth.login"))


@bp.get("/")
def home():
    return redirect(url_for("staff_customers.index"))
