"""HTTP API for portal users: create (seeds 000, 002, 004), approve, delete, disable, enable, access, read."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.openapi import documented
from eventkit.projection_tables import active_table
from eventkit.requests import metadata

from ..adapters.projections import customers as customers_projection
from ..domain.user import User
from ..domain.user_commands import ChangeUser, CreatePortalUser, SetAccess
from ..service_layer import second_factors, users
from .auth import principal
from .http import json_body, tenant
from . import reads, user_answers as answers
from .user_schemas import AccessBody, NameQuery, NewPortalUserBody, PortalUserQuery, ReasonBody

bp = Blueprint("users", __name__, url_prefix="/v1/tenants/<tenant_id>")


def _identity():
    return current_app.extensions["identity"]


def _meta():
    return metadata(tenant(), principal().username)


def _answer(user: User, status: int = 200):
    response = jsonify(user.as_dict())
    response.status_code = status
    response.headers["ETag"] = f'"{user.version}"'
    return response


@bp.post("/users")
@documented(body=NewPortalUserBody, response=answers.CreatedUsers, status=201, problems=[409])
def create(tenant_id):
    """Create a customer's portal user, or a management and staff pair; 201 with both when a pair."""
    b = NewPortalUserBody().load(json_body())
    cmd = CreatePortalUser(_meta(), principal(), b["customer_code"], b["username"],
                           str(b["contact_id"]) if b["contact_id"] else None, b["receivable_account"], b["emails"],
                           b["areas"], b["own_orders_only"], b["send_welcome_email"], b["initial_password"],
                           b["with_staff_user"])
    created = users.create_portal_users(cmd, _identity().users_uow(), _identity().security)
    response = jsonify({**created[0].as_dict(), "staff_user": created[1].as_dict() if len(created) > 1 else None})
    response.status_code = 201
    response.headers["Location"] = f"{request.script_root}/v1/tenants/{tenant()}/users/{created[0].user_id}"
    return response


@bp.get("/users")
@documented(response=answers.UserList)
def index(tenant_id):
    """Usernames of the tenant; ?status=pending lists those waiting for approval (seed 004)."""
    status, user_type = request.args.get("status"), request.args.get("user_type")
    return jsonify({"items": users.list_users(tenant(), principal(), _identity().users_uow(), status, user_type)})


@bp.get("/portal-users")
@documented(query=PortalUserQuery, response=answers.PortalUserPage, problems=[503])
def search(tenant_id):
    """Portal usernames of the tenant searched by username, name, e-mail and customer, by status, with billing counts."""
    q = PortalUserQuery().load(request.args.to_dict())
    reads.after_in_customer_list(q["after"])
    f = users.UserSearch(q["q"], q["customer_code"], q["status"], q["page"], q["page_size"])
    with _identity().pool.connection() as conn:
        table = active_table(conn, customers_projection.PROJECTION)
    return jsonify(answers.PortalUserPage().dump(
        users.search_portal_users(tenant(), principal(), _identity().users_uow(), table, f)))


@bp.get("/users/suggested-username")
@documented(query=NameQuery, response=answers.SuggestedUsername)
def suggested_username(tenant_id):
    """A free username for a person: firstname.lastname as seed 002 advises, numbered when taken."""
    query = NameQuery().load(request.args.to_dict())
    return jsonify(username=users.suggest_username(tenant(), query["first_name"], query["last_name"], principal(),
                                                   _identity().users_uow()))


@bp.get("/users/<uuid:user_id>")
@documented(response=answers.User)
def show(tenant_id, user_id):
    """One user as it stands now."""
    return _answer(users.get_user(tenant(), user_id, principal(), _identity().users_uow()))


@bp.post("/users/<uuid:user_id>/<any(approve, delete, disable, enable):action>")
@documented(body=ReasonBody, body_required=False, response=answers.User, problems=[409])
def change(tenant_id, user_id, action):
    """Approve (UserApproved), delete, disable or enable; repeating one changes nothing."""
    body = ReasonBody().load(json_body(optional=True))
    cmd = ChangeUser(_meta(), principal(), str(user_id), action, body["reason"])
    return _answer(users.change_user(cmd, _identity().users_uow()))


@bp.patch("/users/<uuid:user_id>/access")
@documented(body=AccessBody, response=answers.User, problems=[409])
def access(tenant_id, user_id):
    """Set areas (one RoleGranted/RoleRevoked per change) and "see only my own orders"."""
    body = AccessBody().load(json_body())
    cmd = SetAccess(_meta(), principal(), str(user_id), body.get("areas"), body.get("own_orders_only"))
    return _answer(users.set_access(cmd, _identity().users_uow()))


@bp.get("/customers/<code>/usernames")
@documented(response=answers.CustomerUsernames)
def of_customer(tenant_id, code):
    """A customer's usernames, approved or not, deleted excluded: the count seed 004 bills by."""
    items = users.usernames_of_customer(tenant(), code, principal(), _identity().users_uow())
    return jsonify({"count": len(items), "items": items})


@bp.delete("/users/<uuid:user_id>/second-factors/<any(totp, passkey):method>")
@documented(status=204)
def remove_second_factor(tenant_id, user_id, method):
    """Remove a user's second factor (totp or passkey) for a lost device: in-house staff; the user sets one up
    again at the next login if the tenant requires it."""
    second_factors.remove(_meta(), user_id, method, _identity().users_uow(), by=principal())
    return "", 204
