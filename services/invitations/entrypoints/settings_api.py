"""HTTP API for a tenant's username administrators and invitation settings (seed 004)."""
from __future__ import annotations

from flask import Blueprint, jsonify

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..domain.caller import in_house_only
from ..domain.commands import ChangeSettings, SetUsernameAdministrators
from ..service_layer import settings
from .http import caller, json_body, public, service, staff_meta
from .schemas import AdministratorsBody, CompanyAnswer, SettingsAnswer, SettingsBody

bp = Blueprint("invitation_settings", __name__, url_prefix="/v1/tenants/<tenant_id>")


def _answer(current):
    response = jsonify(SettingsAnswer().dump(current.as_dict()))
    response.headers["ETag"] = f'"{current.version}"'
    return response


@bp.get("/username-administrators")
@documented(response=SettingsAnswer)
def administrators(tenant_id):
    """The username administrators and the other invitation settings."""
    in_house_only(caller())
    return _answer(settings.get_settings(tenant(), service().uow()))


@bp.put("/username-administrators")
@documented(body=AdministratorsBody, response=SettingsAnswer)
def set_administrators(tenant_id):
    """Set the (up to three) username administrators: no invitation goes out until one is set."""
    body = AdministratorsBody().load(json_body())
    cmd = SetUsernameAdministrators(staff_meta(), caller(), body["emails"])
    return _answer(settings.set_username_administrators(cmd, service().uow()))


@bp.get("/invitation-settings")
@documented(response=SettingsAnswer)
def show(tenant_id):
    """How long invitations last (default 14 days) and the company name invited customers see."""
    in_house_only(caller())
    return _answer(settings.get_settings(tenant(), service().uow()))


@bp.patch("/invitation-settings")
@documented(body=SettingsBody, response=SettingsAnswer)
def change(tenant_id):
    """Change some invitation settings; the others keep their values."""
    body = SettingsBody().load(json_body())
    return _answer(settings.change_settings(ChangeSettings(staff_meta(), caller(), body), service().uow()))


@bp.get("/company")
@public
@documented(response=CompanyAnswer)
def company(tenant_id):
    """The distributor's name as its customers know it, for the portal's pages before anyone logs in."""
    return jsonify(CompanyAnswer().dump({"company_name": settings.get_settings(tenant(), service().uow()).company_name}))
