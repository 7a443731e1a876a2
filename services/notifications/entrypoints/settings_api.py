"""HTTP API for a tenant's sender settings: From address and name, Reply-To, the portal's address."""
from __future__ import annotations

from flask import Blueprint, jsonify

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..service_layer import settings
from .http import in_house_staff, json_body, service
from .schemas import SenderSettingsAnswer, SenderSettingsBody

bp = Blueprint("sender_settings", __name__, url_prefix="/v1/tenants/<tenant_id>/notification-settings")


@bp.get("")
@documented(response=SenderSettingsAnswer)
def show(tenant_id):
    """The tenant's sender settings, and what e-mails use with the defaults filled in."""
    in_house_staff()
    with service().pool.connection() as conn:
        return jsonify(SenderSettingsAnswer().dump(settings.show(conn, tenant(), service().config)))


@bp.put("")
@documented(body=SenderSettingsBody, response=SenderSettingsAnswer)
def save(tenant_id):
    """Replace the tenant's sender settings; a value left out or null falls back to the default."""
    by = in_house_staff()
    body = SenderSettingsBody().load(json_body())
    with service().pool.connection() as conn:
        return jsonify(SenderSettingsAnswer().dump(settings.save(conn, tenant(), body, by, service().config)))
