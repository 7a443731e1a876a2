"""HTTP API for the customers staff may invite."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from eventkit.consistency import Projected, ReadAfterQuery
from eventkit.openapi import documented
from eventkit.read_your_writes import wait
from eventkit.requests import tenant

from ..adapters.projections import candidates
from ..domain.caller import may_invite, sales_rep_filter
from ..service_layer.candidates import CandidateFilter, list_candidates
from .http import caller

bp = Blueprint("candidates", __name__, url_prefix="/v1/tenants/<tenant_id>/candidates")


class CandidateQuery(ReadAfterQuery):
    class Meta:
        unknown = RAISE

    customer_type = fields.String(load_default=None, validate=validate.Length(max=50))
    sales_rep = fields.String(load_default=None, validate=validate.Length(max=50))
    price_list = fields.String(load_default=None, validate=validate.Length(max=50))
    q = fields.String(load_default=None, validate=validate.Length(max=100))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class Candidate(Schema):
    customer_id = fields.UUID()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    customer_type = fields.String(allow_none=True)
    sales_rep = fields.String(allow_none=True)
    price_list = fields.String(allow_none=True)
    emails = fields.List(fields.String())


class CandidatePage(Schema):
    items = fields.List(fields.Nested(Candidate))
    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer(metadata={"description": "how many match the filter, on every page"})


@bp.get("")
@documented(query=CandidateQuery, response=CandidatePage, problems=[403, 503])
def index(tenant_id):
    """Customers without a portal username, filtered by type, sales rep and price list.

    For staff who invite: a sales rep sees only their own customers, whatever filter they send.
    """
    tenant_id = tenant()
    by = caller()
    may_invite(by)
    query = CandidateQuery().load(request.args.to_dict())
    f = CandidateFilter(query["customer_type"], sales_rep_filter(by, query["sales_rep"]), query["price_list"],
                        query["q"])
    service = current_app.extensions["invitations"]
    wait(service.pool, Projected.of(candidates.PROJECTION, service.config["TOPIC_PREFIX"]), query["after"])
    with service.pool.connection() as conn:
        page = list_candidates(conn, tenant_id, f, query["page"], query["page_size"])
    return jsonify(CandidatePage().dump(page))
