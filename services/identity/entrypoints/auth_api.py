"""HTTP API for login: tokens, refresh, logout, passwords and the JWKS other services verify with."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from eventkit.openapi import documented
from eventkit.problems import Problem, problem_response
from eventkit.requests import metadata

from ..domain import passwords as password_policy
from ..domain.user_errors import TemporarilyLocked
from ..service_layer import auth as login
from ..service_layer import passwords
from .auth import principal, public
from .http import json_body, tenant
from . import user_answers as answers
from .user_schemas import ChangePasswordBody, ForgotPasswordBody, LoginBody, RefreshBody, SetPasswordBody

bp = Blueprint("auth", __name__, url_prefix="/v1/tenants/<tenant_id>/auth")
jwks_bp = Blueprint("jwks", __name__)


def _identity():
    return current_app.extensions["identity"]


def token_answer(tokens: login.Tokens):
    """The token response of OAuth 2.0 (RFC 6749 section 5.1), never cached."""
    response = jsonify(access_token=tokens.access_token, token_type="Bearer", expires_in=tokens.expires_in,
                       refresh_token=tokens.refresh_token, user=tokens.user.as_dict())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.errorhandler(TemporarilyLocked)
def _locked(error: TemporarilyLocked):
    return problem_response(Problem(error.status, error.code, error.title, str(error),
                                    headers={"Retry-After": str(error.retry_after)}))


@bp.post("/login")
@public
@documented(body=LoginBody, response=answers.Tokens, problems=[401, 403, 429])
def log_in(tenant_id):
    """Log in with username and password: an access token and a refresh token."""
    b = LoginBody().load(json_body())
    meta = metadata(tenant(), b["username"][:100])
    return token_answer(login.log_in(meta, b["username"], b["password"], _identity().users_uow(), _identity().security))


@bp.post("/refresh")
@public
@documented(body=RefreshBody, response=answers.Tokens, problems=[401])
def refresh(tenant_id):
    """A new access token for a refresh token, which is used up and replaced."""
    b = RefreshBody().load(json_body())
    return token_answer(login.refresh(metadata(tenant(), "refresh"), b["refresh_token"], _identity().users_uow(), _identity().security))


@bp.post("/logout")
@public
@documented(body=RefreshBody, status=204)
def log_out(tenant_id):
    """Revoke a refresh token and the ones rotated from it."""
    b = RefreshBody().load(json_body())
    login.log_out(metadata(tenant(), "logout"), b["refresh_token"], _identity().users_uow(), _identity().security)
    return "", 204


@bp.post("/password")
@public
@documented(body=ChangePasswordBody, response=answers.Tokens, problems=[401, 403, 429])
def change_password(tenant_id):
    """Change the password with the current one (required after an initial password); logs in."""
    b = ChangePasswordBody().load(json_body())
    meta = metadata(tenant(), b["username"][:100])
    return token_answer(passwords.change_password(meta, b["username"], b["password"], b["new_password"],
                                             _identity().users_uow(), _identity().security))


@bp.get("/password-rules")
@public
@documented(response=answers.PasswordRules)
def password_rules(tenant_id):
    """What a new password must be, to show before the user types one."""
    return jsonify(min_length=password_policy.MIN_LENGTH, max_length=password_policy.MAX_LENGTH,
                   rules=list(password_policy.RULES))


@bp.post("/forgot-password")
@public
@documented(body=ForgotPasswordBody, response=answers.Accepted, status=202)
def forgot_password(tenant_id):
    """Always 202 and the same words, whether or not the username exists."""
    b = ForgotPasswordBody().load(json_body())
    passwords.forgot_password(metadata(tenant(), "anonymous"), b["username"], _identity().users_uow())
    return jsonify(detail="If this username exists, a reset link valid for 24 hours is on its way to the "
                          "e-mail addresses on record."), 202


@bp.post("/set-password")
@public
@documented(body=SetPasswordBody, status=204)
def set_password(tenant_id):
    """Set a password with the token of a set-password or reset link (single use, 24 hours)."""
    b = SetPasswordBody().load(json_body())
    passwords.set_password_with_link(metadata(tenant(), "link"), b["token"], b["password"],
                                     _identity().users_uow(), _identity().security)
    return "", 204


@bp.get("/me")
@documented(response=answers.Me)
def me(tenant_id):
    """Who the access token says the caller is."""
    by = principal()
    return jsonify(user_id=by.user_id, username=by.username, user_type=by.user_type,
                   staff_roles=sorted(by.staff_roles), sales_rep=by.sales_rep, customer_id=by.customer_id)


@jwks_bp.get("/.well-known/jwks.json")
@public
@documented(response=answers.Jwks)
def jwks():
    """The public keys that verify identity's access tokens (RFC 7517)."""
    response = jsonify(_identity().security.signer.jwks())
    response.headers["Cache-Control"] = "public, max-age=300"
    return response
