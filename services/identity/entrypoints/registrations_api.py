"""HTTP API for registration (seeds 001, 004): anyone may register; the user waits for approval."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, current_app, jsonify, request
from marshmallow import ValidationError

from eventkit import rate_limits
from eventkit.openapi import documented
from eventkit.problems import Problem, problem_response
from eventkit.requests import metadata

from ..domain.user_commands import RegisterUser
from ..domain.user_errors import TooManyRegistrations
from ..service_layer.registration import register_user
from .auth import public
from .http import json_body, tenant
from . import user_answers as answers
from .user_schemas import RegistrationBody

bp = Blueprint("registrations", __name__, url_prefix="/v1/tenants/<tenant_id>/registrations")


HOUR = timedelta(hours=1)
WAITING = "Thank you: your registration waits for approval. You get an e-mail once you can log in."


def _limits(config: dict, emails: list[str]) -> list[tuple[rate_limits.Limit, str]]:
    """Per e-mail address and per client address, per tenant: anyone may register, nobody many times."""
    per_address = rate_limits.Limit("registration.address", config["REGISTRATIONS_PER_ADDRESS_PER_HOUR"], HOUR,
                                    "registrations for this e-mail address")
    per_client = rate_limits.Limit("registration.client", config["REGISTRATIONS_PER_CLIENT_PER_HOUR"], HOUR,
                                   "registrations from your network address")
    return ([(per_address, f"{tenant()}:{e.casefold()}") for e in dict.fromkeys(emails)]
            + [(per_client, f"{tenant()}:{request.remote_addr}")])


@bp.errorhandler(TooManyRegistrations)
def _too_many(error: TooManyRegistrations):
    return problem_response(Problem(error.status, error.code, error.title, str(error),
                                    headers={"Retry-After": str(error.retry_after)}))


@bp.post("")
@public
@documented(body=RegistrationBody, response=answers.Registration, status=201, problems=[404, 409, 410, 429])
def register(tenant_id):
    """UserRegistered, pending approval; from an invitation, send its link's token (it names the customer).

    A customer code that names no customer registers like none (the answer is the same). An unknown
    (404 invitation.token_unknown), expired, revoked or replaced (410) or used (409 invitation.already_used)
    invitation link is refused, and so is a tenant nobody set up (404 tenant.not_found). Too many
    registrations for one e-mail address or from one network address: 429 registration.rate_limited."""
    b = RegistrationBody().load(json_body())
    identity = current_app.extensions["identity"]
    if b["invitation_token"] and b["customer_code"]:
        raise ValidationError({"customer_code": ["Leave it out: the invitation names the invited customer."]})
    cmd = RegisterUser(metadata(tenant(), b["username"][:100]), b["username"], b["password"], b["first_name"],
                       b["last_name"], b["emails"], b["business_name"], b["customer_code"],
                       invitation_token=b["invitation_token"])
    user = register_user(cmd, identity.users_uow(), identity.security, _limits(identity.config, b["emails"]))
    return jsonify(user_id=str(user.user_id), username=user.username, user_type=user.user_type, status=user.status,
                   detail=WAITING), 201
