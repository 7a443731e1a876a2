"""HTTP API for the portal bulletin (seed 003): every logged-in user of the tenant reads it, portal users
on their home page; staff set it through the settings."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.consistency import ReadAfterQuery
from eventkit.openapi import documented

from ..service_layer import settings
from . import answers, reads
from .http import tenant

bp = Blueprint("bulletin", __name__, url_prefix="/v1/tenants/<tenant_id>/bulletin")


@bp.get("")
@documented(query=ReadAfterQuery, response=answers.Bulletin, problems=[503])
def show(tenant_id):
    """The tenant's portal bulletin and when it last changed; null until staff set it."""
    reads.after_in_store(ReadAfterQuery().load(request.args.to_dict())["after"])
    current = settings.get_settings(tenant(), current_app.extensions["identity"].uow())
    updated_at = current.bulletin_updated_at
    return jsonify({"bulletin": current.bulletin, "updated_at": updated_at.isoformat() if updated_at else None})
