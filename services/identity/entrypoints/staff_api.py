"""HTTP API for staff users (the distributor's people): a system administrator creates them and sets roles."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from eventkit.openapi import documented
from eventkit.requests import metadata

from ..domain.user_commands import ChangeStaffRoles, CreateStaffUser
from ..service_layer import staff
from .auth import principal
from .http import json_body, tenant
from . import user_answers as answers
from .user_schemas import NewStaffUserBody, StaffRolesBody

bp = Blueprint("staff_users", __name__, url_prefix="/v1/tenants/<tenant_id>/staff-users")


def _identity():
    return current_app.extensions["identity"]


@bp.post("")
@documented(body=NewStaffUserBody, response=answers.User, status=201, problems=[409])
def create(tenant_id):
    """Create a staff user (StaffUserCreated) with roles; a system administrator only."""
    b = NewStaffUserBody().load(json_body())
    cmd = CreateStaffUser(metadata(tenant(), principal().username), principal(), b["username"], b["name"],
                          b["emails"], b["roles"], b["sales_rep"], b["initial_password"])
    user = staff.create_staff_user(cmd, _identity().users_uow(), _identity().security)
    return jsonify(user.as_dict()), 201


@bp.put("/<uuid:user_id>/roles")
@documented(body=StaffRolesBody, response=answers.User, problems=[409])
def roles(tenant_id, user_id):
    """Replace the roles (and sales rep code); the user's refresh tokens are revoked."""
    b = StaffRolesBody().load(json_body())
    cmd = ChangeStaffRoles(metadata(tenant(), principal().username), principal(), str(user_id), b["roles"],
                           b["sales_rep"])
    return jsonify(staff.change_staff_roles(cmd, _identity().users_uow()).as_dict())
