"""Who is logged in to the frontend: identity's tokens kept in the signed, HttpOnly session cookie,
renewed with the refresh token when the access token has expired: the portal's at the OpenID Connect
token endpoint (frontend/oidc.py), the staff console's with the first-party login API."""
from __future__ import annotations

import functools
import time

from flask import flash, redirect, request, session, url_for

from . import api, oidc


def remember_oidc(tokens: dict) -> None:
    """Start a session from the code flow's tokens: who it is comes from the checked ID token."""
    remember(tokens, oidc.user_of(tokens["userinfo"]))
    session.update(via="oidc", id_token=tokens["id_token"])


def _renew(tokens: dict) -> None:
    session.update(access_token=tokens["access_token"], refresh_token=tokens.get("refresh_token"),
                   expires_at=time.time() + int(tokens.get("expires_in", 300)) - 10)


def remember(tokens: dict, user: dict | None = None) -> None:
    """Start a session for the user the login answered with (a fresh session: no fixation)."""
    csrf = session.get("csrf")
    session.clear()
    if csrf:
        session["csrf"] = csrf
    _renew(tokens)
    user = user or tokens.get("user") or {}
    session.update(user={"user_id": user.get("user_id"), "username": user.get("username"),
                         "user_type": user.get("user_type"), "kind": user.get("kind"),
                         "roles": user.get("roles", []), "areas": user.get("areas", []),
                         "name": user.get("name"), "customer_code": user.get("customer_code"),
                         "sales_rep": user.get("sales_rep")})
    session.permanent = True


def forget() -> str | None:
    """End the session here and at identity; for a code-flow login, the end-session address to send the
    browser to (the provider ends its session there and comes back)."""
    if session.get("via") == "oidc":
        id_token = session.get("id_token")
        session.clear()
        return oidc.end_session_url(id_token, url_for("portal_account.logged_out", _external=True))
    refresh = session.get("refresh_token")
    if refresh:
        try:
            api.post("identity", "/auth/logout", {"refresh_token": refresh})
        except api.ApiProblem:
            pass  # the session ends here whatever identity says
    session.clear()
    return None


def _fresh() -> bool:
    if time.time() < session.get("expires_at", 0):
        return True
    if not session.get("refresh_token"):
        return False
    if session.get("via") == "oidc":
        tokens = oidc.refresh(session["refresh_token"])
        if tokens is None:
            return False
        _renew(tokens)
        return True
    try:
        tokens = api.post("identity", "/auth/refresh", {"refresh_token": session["refresh_token"]}, token="")
    except api.ApiProblem:
        return False
    remember(tokens)
    return True


def user() -> dict | None:
    return session.get("user")


def _required(user_type: str, login_endpoint: str):
    def decorator(view):
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            who = user()
            if who is None or who.get("user_type") != user_type or not _fresh():
                session.pop("user", None)
                flash("Please log in.", "info")
                return redirect(url_for(login_endpoint, next=request.full_path))
            return view(*args, **kwargs)
        return wrapped
    return decorator


staff_required = _required("staff", "staff_auth.login")
portal_required = _required("portal", "portal_account.login")


def safe_next(default: str) -> str:
    """Only a path on this site: an open redirect would make the login page a phishing tool."""
    target = request.values.get("next", "")
    return target if target.startswith("/") and not target.startswith("//") else default
