"""HTTP API for the customers staff may invite."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from eventkit.requests import tenant

from ..service_layer.candidates import CandidateFilter, list_candidates

bp = Blueprint("candidates", __name__, url_prefix="/v1/tenants/<tenant_id>/candidates")


class CandidateQuery(Schema):
    class Meta:
        unknown = RAISE

    customer_type = fields.String(load_default=None, validate=validate.Length(max=50))
    sales_rep = fields.String(load_default=None, validate=validate.Length(max=50))
    price_list = fields.String(load_default=None, validate=validate.Length(max=50))
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


@bp.get("")
def index(tenant_id):
    """Customers without a portal username, filtered by type, sales rep and price list."""
    tenant_id = tenant()
    query = CandidateQuery().load(request.args.to_dict())
    f = CandidateFilter(query["customer_type"], query["sales_rep"], query["price_list"], query["q"])
    with current_app.extensions["invitations"].pool.connection() as conn:
        return jsonify(list_candidates(conn, tenant_id, f, query["page"], query["page_size"]))
