"""Sign-in security (issue 19): a portal or staff user sets up an authenticator app (QR code, confirmed with
a code, recovery codes shown once), makes new recovery codes, and removes a factor, asked first.

The frontend's own page, calling identity's documented second-factor API with the user's token, like every
other page here: the portal keeps its look and navigation, and the staff console (which logs in through the
login API, not identity's pages) gets the same page from the same code. Passkeys are not offered here: a passkey
belongs to the host it is made on, identity's login pages, where users set one up when they log in.
"""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from . import api, forms

PATH = "/auth/second-factor"
# What the page calls each second factor.
METHOD_NAMES = {"totp": "authenticator app", "passkey": "passkey"}


def shown(name: str, base: str, status: int = 200, **values):
    """The page of blueprint `name` with the user's factors, and what one step adds (a set-up, codes, a question)."""
    return render_template("sign_in_security.html", base=base, ep=name, method_names=METHOD_NAMES,
                           factors=api.get("identity", PATH, read_after=False), **values), status


def blueprint(name: str, url_prefix: str, required, base: str) -> Blueprint:
    """The page for one console: its blueprint `name` under `url_prefix`, its login decorator and base template."""
    bp = Blueprint(name, __name__, url_prefix=url_prefix)

    def page(status: int = 200, **values):
        return shown(name, base, status, **values)

    def back():
        return redirect(url_for(f"{name}.show"))

    @bp.get("/sign-in-security")
    @required
    def show():
        """What the user logs in with after the password, and what they may change."""
        return page()

    @bp.post("/sign-in-security/app")
    @required
    def set_up_app(error: str | None = None, status: int = 200):
        """The QR code and key of a new authenticator app, to confirm with its first code."""
        try:
            setup = api.post("identity", f"{PATH}/totp")
        except api.ApiProblem as problem:
            forms.show_problem(problem)
            return back()
        return page(setup=setup, error=error, status=status)

    @bp.post("/sign-in-security/app/confirm")
    @required
    def confirm_app():
        """The app's first code turns it on; the recovery codes of a first factor are shown once."""
        try:
            done = api.post("identity", f"{PATH}/totp/confirm", {"code": request.form.get("code", "")[:20]})
        except api.ApiProblem as problem:
            if problem.status == 400:
                return set_up_app("That code was not accepted: type the code the app shows now.", 422)
            forms.show_problem(problem)
            return back()
        flash("Your authenticator app is on: the login asks for its code after your password.", "success")
        return page(codes=done.get("recovery_codes") or [])

    @bp.post("/sign-in-security/recovery-codes")
    @required
    def new_codes():
        """New recovery codes, once the user agreed that the old ones stop working."""
        if request.form.get("confirmed") != "yes":
            return page(asking="recovery_codes")
        try:
            codes = api.post("identity", f"{PATH}/recovery-codes")["recovery_codes"]
        except api.ApiProblem as problem:
            forms.show_problem(problem)
            return back()
        return page(codes=codes)

    @bp.post("/sign-in-security/remove/<any(totp, passkey):method>")
    @required
    def remove(method: str):
        """Remove one second factor, once the user said yes."""
        if request.form.get("confirmed") != "yes":
            return page(asking=method)
        try:
            api.call("identity", "DELETE", f"{PATH}/{method}")
            flash(f"Your {METHOD_NAMES[method]} is removed.", "success")
        except api.ApiProblem as problem:
            forms.show_problem(problem)
        return back()

    return bp
