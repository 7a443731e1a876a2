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
@documented(body=RegistrationBody, response=answers.User, status=201, problems=[409])
def register(tenant_id):
    """UserRegistered, pending approval; from an invitation, name the invitation and its customer."""
    b = RegistrationBody().load(json_body())
    if b["invitation_id"] and not b["customer_code"]:
        raise ValidationError({"customer_code": ["An invitation's registration names the invited customer."]})
    cmd = RegisterUser(metadata(tenant(), b["username"][:100]), b["username"], b["password"], b["first_name"],
                       b["last_name"], b["emails"], b["business_name"], b["customer_code"],
                       str(b["invitation_id"]) if b["invitation_id"] else None)
    identity = current_app.extensions["identity"]
    user = register_user(cmd, identity.users_uow(), identity.security)
    return jsonify(user.as_dict()), 201
