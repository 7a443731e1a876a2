"""OpenID Connect provider per tenant: discovery, the login page, token, userinfo, end-session, clients.

The protocol is Authlib's (adapters/oidc_provider.py); the login page is Portico's own, checking the
password with today's rules and lockout (service_layer/auth.py).
"""
from __future__ import annotations

import secrets
from functools import partial

import jwt
from marshmallow import EXCLUDE
from authlib.oauth2 import OAuth2Error
from flask import Blueprint, current_app, g, jsonify, redirect, render_template, request

from eventkit.openapi import documented
from eventkit.requests import metadata

from ..adapters import oidc_provider as provider
from ..domain.second_factor_errors import SecondFactorEnrolmentRequired, SecondFactorRequired
from ..domain.user_errors import (AccountNotActive, DomainError, LoginRefused, TemporarilyLocked, UserStateConflict,
                                  WeakPassword)
from ..service_layer import auth as login
from ..service_layer import login_steps, oidc_clients, passwords
from . import oidc_login_steps as login_pages
from ..service_layer.users import load_user
from . import oidc_pages as pages
from .auth import principal, public
from .http import json_body, tenant
from .oidc_schemas import (AuthorizeQuery, Client, ClientChangeBody, Discovery, EndSessionQuery, NewClientBody,
                           OAuthError, RegisteredClient, TokenAnswer, TokenForm, UserInfo)

bp = Blueprint("oidc", __name__, url_prefix="/v1/tenants/<tenant_id>", template_folder="templates")
CSRF_COOKIE = "portico_oidc_csrf"
PAGE = {"text/html": {"schema": {"type": "string"}}}  # what a browser is shown
NEW_PASSWORD = "oidc/new_password.html"
# What the login page says for each refusal, in words a person understands.
REFUSALS = {
    LoginRefused: "The username or password is not right. Check both and try again.",
    TemporarilyLocked: "Too many attempts: logging in with this username is paused for a while. Try again later.",
    AccountNotActive: "This account cannot log in at the moment: it is waiting for approval or has been disabled.",
}
EXPIRED = "That took too long, or the page was used already. Please log in again."


def _identity():
    return current_app.extensions["identity"]


def _in_provider(work, actor: str = "oidc"):
    """Run Authlib's work inside one unit of work: what a grant records commits with its answer."""
    uow = _identity().users_uow()
    g.oidc_tenant, g.oidc_meta = tenant(), metadata(tenant(), actor)
    with uow:
        g.oidc_uow = uow
        return work(uow)


@bp.get("/.well-known/openid-configuration")
@public
@documented(response=Discovery)
def discovery(tenant_id):
    """The tenant's OpenID Connect provider metadata (OpenID Connect Discovery 1.0)."""
    base = provider.issuer()
    return jsonify(
        issuer=base, authorization_endpoint=f"{base}/oidc/authorize", token_endpoint=f"{base}/oidc/token",
        userinfo_endpoint=f"{base}/oidc/userinfo", end_session_endpoint=f"{base}/oidc/end-session",
        jwks_uri=f"{request.host_url.rstrip('/')}/.well-known/jwks.json", response_types_supported=["code"],
        grant_types_supported=list(provider.GRANT_TYPES), subject_types_supported=["public"],
        id_token_signing_alg_values_supported=["EdDSA"], scopes_supported=list(provider.SCOPES),
        token_endpoint_auth_methods_supported=["client_secret_basic", "client_secret_post", "none"],
        code_challenge_methods_supported=["S256"],
        claims_supported=["sub", "sid", "preferred_username", "user_type", "kind", "areas", "customer_id",
                          "customer_code", "receivable_account", "own_orders_only", "staff_roles", "sales_rep"])


def _page(template: str, status: int = 200, client: dict | None = None, **context):
    nonce = secrets.token_urlsafe(16)  # the one script a second-factor page runs (passkeys)
    response = current_app.response_class(
        render_template(template, script_nonce=nonce, **pages.context(tenant(), client), **context),
        status=status, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    # A login form's answer redirects to the client: form-action covers that redirect too (in Chromium).
    targets = " ".join(pages.origins((client or {}).get("redirect_uris") or []))
    response.headers["Content-Security-Policy"] = (f"default-src 'none'; style-src 'unsafe-inline'; "
                                                   f"script-src 'nonce-{nonce}'; form-action 'self' {targets}".rstrip())
    return response


def _login_page(grant, error: str | None = None, status: int = 200, template: str = "oidc/login.html"):
    token = secrets.token_urlsafe(32)
    response = _page(template, status, grant.client.row, client_name=grant.client.row["name"], error=error,
                     csrf=token, username=request.form.get("username", ""))
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="Strict",
                        secure=request.is_secure, path=request.path)
    return response


def _step_page(grant, template: str, status: int = 200, **context):
    """A page after the password: the form's CSRF token stays the one of the login page's cookie, and its
    answer may redirect to the client as the login page's does."""
    return _page(template, status, grant.client.row, csrf=request.cookies.get(CSRF_COOKIE, ""), **context)


def _unusable_request(error: OAuth2Error):
    return _page("oidc/message.html", 400, title="This login link does not work",
                 message="The site that sent you here asked for something this portal cannot do. "
                         "Go back to it and start again; if this happens again, tell its administrator.")


def _grant(server):
    """(the consent grant of the request, None), or (None, the answer) when the request is unusable."""
    try:
        return server.get_consent_grant(end_user=None), None
    except OAuth2Error as error:
        if getattr(error, "redirect_uri", None):
            return None, server.handle_error_response(None, error)
        return None, _unusable_request(error)


@bp.route("/oidc/authorize", methods=["GET", "POST"])
@public
@documented(query=AuthorizeQuery, content_type="text/html", also=[302], problems=[401, 429], error_content=PAGE)
def authorize(tenant_id):
    """The login page of the authorization code flow: the user logs in, the client gets a code."""
    server = _identity().oidc_server
    AuthorizeQuery().load(request.args.to_dict())
    grant, answer = _in_provider(lambda uow: _grant(server))
    if answer is not None:
        return answer
    if request.method == "GET":
        return _login_page(grant)
    if not secrets.compare_digest(request.form.get("csrf", ""), request.cookies.get(CSRF_COOKIE, "-")):
        return _login_page(grant, "The page had expired. Please log in again.", 400)

    def finish(user, amr=("pwd",)):
        return _in_provider(lambda uow: server.create_authorization_response(
            grant=grant, grant_user=provider.Subject(user, None, amr)))

    step_page = partial(_step_page, grant)
    if request.form.get("step") not in (None, "", "new-password"):
        return login_pages.step(step_page, finish, lambda: _login_page(grant, EXPIRED, 401))
    outcome = _in_provider(lambda uow: _password_step(uow, server, grant))
    if isinstance(outcome, SecondFactorRequired):
        return login_pages.second_factor_page(step_page, outcome.login_token, outcome.methods)
    if isinstance(outcome, SecondFactorEnrolmentRequired):
        return login_pages.set_up_page(step_page, outcome.login_token)
    if isinstance(outcome, DomainError):
        status = 429 if isinstance(outcome, TemporarilyLocked) else 401
        return _login_page(grant, REFUSALS.get(type(outcome), REFUSALS[LoginRefused]), status)
    return outcome


def _password_step(uow, server, grant):
    """The redirect with a code for a right password, else the refusal or the second-factor step (as errors,
    so what they record commits before their page is shown)."""
    username, password = request.form.get("username", "")[:100], request.form.get("password", "")[:1024]
    g.oidc_meta = metadata(tenant(), username or "anonymous")
    if request.form.get("step") == "new-password":
        outcome = _new_password(uow, username, password)
    else:
        outcome = login.authenticate(uow, _identity().security, g.oidc_meta, username, password)
    if isinstance(outcome, str):
        return _login_page(grant, outcome, 422, NEW_PASSWORD)
    if isinstance(outcome, DomainError):
        return outcome
    user, credential = outcome[-2:]
    if not user.can_log_in():
        return AccountNotActive(user.status)
    if credential["must_change"]:
        return _login_page(grant, template=NEW_PASSWORD)
    return login_steps.after_password(uow, _identity().security, tenant(), user) or \
        server.create_authorization_response(grant=grant, grant_user=provider.Subject(user, None))


def _new_password(uow, username: str, password: str):
    """A first password replaced by the user's own: (user, credential) to go on with the flow, the refusal
    to show on the login page, or what to correct (a string) on the new-password page."""
    new = request.form.get("new_password", "")[:1024]
    if new != request.form.get("new_password_again", "")[:1024]:
        return "The two new passwords differ."
    try:
        outcome = passwords.change_in(uow, _identity().security, g.oidc_meta, username, password, new)
    except (WeakPassword, UserStateConflict) as refused:
        return str(refused)
    return outcome if isinstance(outcome, DomainError) else (outcome, {"must_change": False})


@bp.route("/oidc/forgot-password", methods=["GET", "POST"])
@public
@documented(content_type="text/html", error_content=PAGE)
def forgot_password(tenant_id):
    """Ask for a link to set a new password, from the login page; the same answer whoever asks."""
    if request.method == "POST":
        passwords.forgot_password(metadata(tenant(), "anonymous"), request.form.get("username", "")[:100],
                                  _identity().users_uow())
    return _page("oidc/forgot_password.html", sent=request.method == "POST")


@bp.post("/oidc/token")
@public
@documented(body=TokenForm, body_content_type="application/x-www-form-urlencoded", response=TokenAnswer,
            problems=[401], error_content={"application/json": {"schema": OAuthError}})
def token(tenant_id):
    """The token endpoint (RFC 6749 3.2): a code (with its PKCE verifier) or a refresh token for tokens."""
    TokenForm(unknown=EXCLUDE).load(request.form.to_dict())
    return _in_provider(lambda uow: _identity().oidc_server.create_token_response())


@bp.route("/oidc/userinfo", methods=["GET", "POST"])
@documented(response=UserInfo)
def userinfo(tenant_id):
    """Who the access token's user is now (OpenID Connect Core 5.3)."""
    uow = _identity().users_uow()
    with uow:
        _, user = load_user(uow, tenant(), principal().user_id)
    return jsonify(provider.user_info(user))


@bp.route("/oidc/end-session", methods=["GET", "POST"])
@public
@documented(query=EndSessionQuery, content_type="text/html", also=[302], error_content=PAGE)
def end_session(tenant_id):
    """Log out (RP-initiated logout): the session of the ID token ends, its access tokens are refused."""
    args = EndSessionQuery().load(request.values.to_dict())
    signer = _identity().security.signer
    try:
        claims = jwt.decode(args["id_token_hint"], signer.public_key, algorithms=["EdDSA"], issuer=provider.issuer(),
                            options={"verify_aud": False, "verify_exp": False, "require": ["sid", "sub", "aud"]})
    except jwt.InvalidTokenError:
        return _page("oidc/message.html", 400, title="You could not be logged out here",
                     message="The site that sent you here did not say who to log out. Log out on that site again.")

    def work(uow):
        session = uow.oidc_sessions.get(claims["sid"])
        client = uow.oidc_clients.get(tenant(), session["client_id"]) if session else None
        if session and session["tenant_id"] == tenant():
            login.end_session(uow, g.oidc_meta, {"family_id": session["family_id"], "user_id": claims["sub"]},
                              "logout", _identity().security.now())
        return client

    client = _in_provider(work, "logout")
    target = args.get("post_logout_redirect_uri")
    if client and target in client["post_logout_redirect_uris"]:
        return redirect(target + (("&" if "?" in target else "?") + f"state={args['state']}" if args.get("state") else ""))
    return _page("oidc/message.html", title="You are logged out", message="You can close this page now.")


def _client(row: dict) -> dict:
    return Client().dump(row)


@bp.post("/oidc/clients")
@documented(body=NewClientBody, response=RegisteredClient, status=201, problems=[409])
def register_client(tenant_id):
    """Register a portal frontend as a client (a system administrator only); a secret is shown only now."""
    b = NewClientBody().load(json_body())
    secret = oidc_clients.register(metadata(tenant(), principal().username), principal(), b,
                                   _identity().users_uow())
    return jsonify({**_client(b), "client_secret": secret}), 201


@bp.get("/oidc/clients")
@documented(response=Client(many=True))
def list_clients(tenant_id):
    """The tenant's registered clients."""
    return jsonify([_client(r) for r in oidc_clients.list_clients(tenant(), principal(), _identity().users_uow())])


@bp.put("/oidc/clients/<client_id>")
@documented(body=ClientChangeBody, response=Client)
def change_client(tenant_id, client_id):
    """Change a client's name and addresses (a system administrator only); its type and secret stay."""
    b = ClientChangeBody().load(json_body())
    row = oidc_clients.change(metadata(tenant(), principal().username), principal(), client_id, b,
                              _identity().users_uow())
    return jsonify(_client(row))


@bp.delete("/oidc/clients/<client_id>")
@documented(status=204)
def remove_client(tenant_id, client_id):
    """Remove a client: it gets no more codes or tokens."""
    oidc_clients.remove(metadata(tenant(), principal().username), principal(), client_id, _identity().users_uow())
    return "", 204

