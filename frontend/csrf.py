"""CSRF protection for every form: a random token kept in the signed session and repeated in each
form (or the X-CSRF-Token header of a script's request); any unsafe request without it is refused."""
from __future__ import annotations

import hmac
import secrets

from flask import abort, request, session

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def token() -> str:
    if "csrf" not in session:
        session["csrf"] = secrets.token_urlsafe(32)
    return session["csrf"]


def _check() -> None:
    if request.method not in UNSAFE:
        return
    sent = request.form.get("csrf_token") or request.headers.get("X-CSRF-Token", "")
    if not session.get("csrf") or not hmac.compare_digest(sent, session["csrf"]):
        abort(400, "The form has expired or did not come from this site; reload the page and try again.")


def init_app(app) -> None:
    app.before_request(_check)
    app.jinja_env.globals["csrf_token"] = token
