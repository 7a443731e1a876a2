"""HTTP API for the delivery log: what was sent to whom, for which event, when, and how it went."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..service_layer.delivery_log import LogFilter, list_deliveries, one_delivery
from .http import in_house_staff, service
from .schemas import Delivery, DeliveryPage, DeliveryQuery

bp = Blueprint("deliveries", __name__, url_prefix="/v1/tenants/<tenant_id>/deliveries")


@bp.get("")
@documented(query=DeliveryQuery, response=DeliveryPage)
def index(tenant_id):
    """The tenant's e-mails, newest first, filtered by recipient, causing event, status or kind."""
    in_house_staff()
    q = DeliveryQuery().load(request.args.to_dict())
    f = LogFilter(q["recipient"], str(q["event_id"]) if q["event_id"] else None, q["status"], q["kind"])
    with service().pool.connection() as conn:
        return jsonify(DeliveryPage().dump(list_deliveries(conn, tenant(), f, q["page"], q["page_size"])))


@bp.get("/<uuid:delivery_id>")
@documented(response=Delivery)
def show(tenant_id, delivery_id):
    """One e-mail to one recipient: its state, tries and last error."""
    in_house_staff()
    with service().pool.connection() as conn:
        return jsonify(Delivery().dump(one_delivery(conn, tenant(), delivery_id)))
