"""HTTP API for second factors (issue 19): the login's second step, setting up an authenticator app,
removing a factor. Passkeys are made and used on identity's login page (oidc_api.py), whose host they
belong to.

The step after a right password is a 403 problem with a `login_token` (as Auth0's `mfa_required`), so a
client that knows nothing of second factors fails plainly instead of taking an answer without tokens.
"""
from __future__ import annotations

from flask import Blueprint, current_app, g, jsonify

from eventkit.openapi import documented
from eventkit.problems import Problem, problem_response
from eventkit.requests import metadata

from ..adapters import qr
from ..domain.second_factor_errors import SecondFactorEnrolmentRequired, SecondFactorRequired
from ..service_layer import second_factors
from . import auth
from .auth import public
from .auth_api import token_answer
from .http import json_body, tenant
from .second_factor_schemas import (ConfirmTotpBody, Enrolled, EnrolmentBody, EnrolmentConfirmBody, SecondFactors,
                                    RecoveryCodes, TotpSetup, VerifyBody)
from . import user_answers as answers

bp = Blueprint("second_factor", __name__, url_prefix="/v1/tenants/<tenant_id>/auth/second-factor")


def _identity():
    return current_app.extensions["identity"]


@bp.app_errorhandler(SecondFactorRequired)
@bp.app_errorhandler(SecondFactorEnrolmentRequired)
def _next_step(error):
    return problem_response(Problem(error.status, error.code, error.title, str(error),
                                    login_token=error.login_token, methods=error.methods))


def _meta():
    return metadata(tenant(), auth.principal().username if "principal" in g else "login")


@bp.post("/verify")
@public
@documented(body=VerifyBody, response=answers.Tokens, problems=[401, 429])
def verify(tenant_id):
    """The login's second step: the authenticator app's code (or a recovery code) for the tokens."""
    b = VerifyBody().load(json_body())
    meta = _meta()
    proof = second_factors.Proof(code=b.get("code"), recovery_code=b.get("recovery_code"))
    return token_answer(second_factors.verify(meta, b["login_token"], proof, _identity().users_uow(),
                                              _identity().security))


@bp.get("")
@documented(response=SecondFactors)
def show(tenant_id):
    """The caller's second factors and recovery codes left, and the tenant's policy."""
    return jsonify(second_factors.status(tenant(), auth.principal().user_id, _identity().users_uow()))


def _setup(setup: second_factors.TotpSetup):
    response = jsonify(secret=setup.secret, otpauth_uri=setup.uri, qr_svg=qr.svg(setup.uri))
    response.headers["Cache-Control"] = "no-store"
    return response, 201


def _enrolled(done: second_factors.Enrolled):
    tokens = token_answer(done.tokens).get_json() if done.tokens else None
    response = jsonify(second_factors=sorted(done.user.second_factors), recovery_codes=done.recovery_codes,
                       tokens=tokens)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/enrolment/totp")
@public
@documented(body=EnrolmentBody, response=TotpSetup, status=201, problems=[401, 409])
def start_enrolment(tenant_id):
    """Set up an authenticator app during a login the policy stops: its secret and QR code."""
    b = EnrolmentBody().load(json_body())
    return _setup(second_factors.start_totp(_meta(), _identity().users_uow(), _identity().security,
                                            login_token=b["login_token"]))


@bp.post("/enrolment/totp/confirm")
@public
@documented(body=EnrolmentConfirmBody, response=Enrolled, problems=[401, 409])
def confirm_enrolment(tenant_id):
    """Confirm the authenticator app with its first code: the login's tokens and the recovery codes (shown once)."""
    b = EnrolmentConfirmBody().load(json_body())
    return _enrolled(second_factors.confirm_totp(_meta(), b["code"], _identity().users_uow(), _identity().security,
                                                 login_token=b["login_token"]))


@bp.post("/totp")
@documented(response=TotpSetup, status=201, problems=[409])
def start_totp(tenant_id):
    """Start setting up an authenticator app for the caller: its secret and QR code."""
    return _setup(second_factors.start_totp(_meta(), _identity().users_uow(), _identity().security,
                                            user_id=auth.principal().user_id))


@bp.post("/totp/confirm")
@documented(body=ConfirmTotpBody, response=Enrolled, problems=[409])
def confirm_totp(tenant_id):
    """Confirm the caller's authenticator app with its first code: the recovery codes, shown once."""
    b = ConfirmTotpBody().load(json_body())
    return _enrolled(second_factors.confirm_totp(_meta(), b["code"], _identity().users_uow(), _identity().security,
                                                 user_id=auth.principal().user_id))


@bp.delete("/<any(totp, passkey):method>")
@documented(status=204, problems=[409])
def remove(tenant_id, method):
    """Remove one of the caller's second factors (totp or passkey)."""
    second_factors.remove(metadata(tenant(), auth.principal().username), auth.principal().user_id, method,
                          _identity().users_uow())
    return "", 204


@bp.post("/recovery-codes")
@documented(response=RecoveryCodes, status=201, problems=[409])
def new_recovery_codes(tenant_id):
    """New recovery codes for the caller, shown once: the old ones stop working."""
    response = jsonify(recovery_codes=second_factors.new_recovery_codes(tenant(), auth.principal().user_id,
                                                                        _identity().users_uow()))
    response.headers["Cache-Control"] = "no-store"
    return response, 201
