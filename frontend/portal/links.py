"""The addresses in the e-mails: the notifications service links to <portal>/<tenant>/... (its default
PORTAL_URL is this frontend's); each leads to the page that handles it, token kept."""
from __future__ import annotations

from flask import Blueprint, abort, current_app, redirect, request, url_for

bp = Blueprint("portal_links", __name__, url_prefix="/<tenant>")

PAGES = {"login": "portal_account.login", "set-password": "portal_account.set_password",
         "reset-password": "portal_account.set_password", "invitations/accept": "portal_account.accept_invitation"}


@bp.get("/<path:page>")
def follow(tenant, page):
    if tenant != current_app.config["TENANT"] or page not in PAGES:
        abort(404)
    token = request.args.get("token")
    return redirect(url_for(PAGES[page], **({"token": token} if token else {})))


@bp.get("/", strict_slashes=False)  # /anything is this page's 404, not a redirect to /anything/
def home(tenant):
    if tenant != current_app.config["TENANT"]:
        abort(404)
    return redirect(url_for("portal_documents.home"))
