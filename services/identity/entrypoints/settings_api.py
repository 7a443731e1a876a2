"""HTTP API for a tenant's settings (seed 000's salespeople option, seed 001's personal accounts, seed 003's
portal bulletin)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from contracts.identity import bulletin
from eventkit.consistency import ReadAfterQuery
from eventkit.openapi import documented
from eventkit.requests import metadata

from ..domain.commands import ChangeSettings
from ..domain.settings import TenantSettings
from ..service_layer import settings
from . import answers, reads
from .http import actor, json_body, tenant
from .schemas import JsonBoolean

bp = Blueprint("settings", __name__, url_prefix="/v1/tenants/<tenant_id>/settings")


def _flag():
    return JsonBoolean()


def _as_typed(value):
    """A bulletin as a form sends it: CRLF line breaks, surrounding blanks; blank means cleared."""
    if not isinstance(value, str):
        return value
    return value.replace("\r\n", "\n").replace("\r", "\n").strip() or None


def _as_typed_bulletin():
    field = bulletin(pre_load=[_as_typed])
    field.openapi = {"minLength": 0}  # blank is taken, as clearing it: the document may not say it is refused
    return field


class SettingsBody(Schema):
    """The settings to set; those left out keep their values."""

    class Meta:
        unknown = RAISE

    allow_personal_account_registration = _flag()
    allow_sales_reps_to_create_users = _flag()
    bulletin = _as_typed_bulletin()
    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=0))


def _answer(current: TenantSettings):
    response = jsonify(current.as_dict())
    response.headers["ETag"] = f'"{current.version}"'
    return response


@bp.get("")
@documented(query=ReadAfterQuery, response=answers.Settings, problems=[503])
def show(tenant_id):
    """The tenant's settings, defaults included."""
    reads.after_in_store(ReadAfterQuery().load(request.args.to_dict())["after"])
    return _answer(settings.get_settings(tenant(), current_app.extensions["identity"].uow()))


@bp.put("")
@documented(body=SettingsBody, response=answers.Settings, problems=[409])
def change(tenant_id):
    """Set settings (TenantSettingsChanged with only the changed ones); repeating it changes nothing.

    In-house users may set the bulletin alone; the other settings take a system administrator.
    """
    body = SettingsBody().load(json_body())
    expected = body.pop("expected_version")
    cmd = ChangeSettings(metadata(tenant(), actor()), body, expected)
    return _answer(settings.change_settings(cmd, current_app.extensions["identity"].uow()))
