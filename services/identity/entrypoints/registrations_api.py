"""HTTP API for registration (seeds 001, 004): anyone may register; the user waits for approval."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from marshmallow import ValidationError

from eventkit.openapi import documented
from eventkit.requests import metadata

from ..domain.user_commands import RegisterUser
from ..service_layer.registration import register_user
from .auth import public
from .http import json_body, tenant
from . import user_answers as answers
from .user_schemas import RegistrationBody

bp = Blueprint("registrations", __name__, url_prefix="/v1/tenants/<tenant_id>/registrations")


@bp.post("")
@public
@documented(body=RegistrationBody, response=answers.User, status=201, problems=[404, 409, 410])
def register(tenant_id):
    """UserRegistered, pending approval; from an invitation, send its link's token (it names the customer).

    An unknown (404 invitation.token_unknown), expired, revoked or replaced (410) or used (409
    invitation.already_used) invitation link is refused."""
    b = RegistrationBody().load(json_body())
    if b["invitation_token"] and b["customer_code"]:
        raise ValidationError({"customer_code": ["Leave it out: the invitation names the invited customer."]})
    cmd = RegisterUser(metadata(tenant(), b["username"][:100]), b["username"], b["password"], b["first_name"],
                       b["last_name"], b["emails"], b["business_name"], b["customer_code"],
                       invitation_token=b["invitation_token"])
    identity = current_app.extensions["identity"]
    user = register_user(cmd, identity.users_uow(), identity.security)
    return jsonify(user.as_dict()), 201
