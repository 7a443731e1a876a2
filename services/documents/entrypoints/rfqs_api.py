"""HTTP API for requests for quote (seed 003): portal users send them (each a QuoteRequested for the ERP);
they and staff list those they may see."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from contracts.documents import RequestedLine
from eventkit.consistency import Projected
from eventkit.openapi import documented
from eventkit.problems import Problem
from eventkit.read_your_writes import wait
from eventkit.requests import metadata, tenant

from ..adapters.projections import rfqs as rfqs_projection
from ..domain.commands import RequestQuote
from ..service_layer import rfq_queries, rfqs
from . import answers
from .auth import reader
from .http import json_body
from .schemas import QuoteRequestBody, RequestQuery

bp = Blueprint("rfqs", __name__, url_prefix="/v1/tenants/<tenant_id>/rfqs")


def _idempotency_key() -> str | None:
    key = request.headers.get("Idempotency-Key")
    if key is not None and not 1 <= len(key) <= 200:
        raise Problem(400, "request.invalid", "Invalid request", "Idempotency-Key must be 1 to 200 characters.",
                      [{"field": "Idempotency-Key", "pointer": "#", "detail": "1 to 200 characters"}])
    return key


@bp.post("")
@documented(body=QuoteRequestBody, response=answers.QuoteRequested, status=202, problems=[401, 403, 409])
def request_quote(tenant_id):
    """Ask for a quote (QuoteRequested); 202, as the ERP answers later with a quote. Retry with the same
    Idempotency-Key and the same body to be sure it is sent once."""
    by = reader()
    body = QuoteRequestBody().load(json_body())
    lines = RequestedLine(many=True).dump(body["lines"])
    actor = f"user:{by.username}" if by else "user:unknown"
    cmd = RequestQuote(metadata(tenant(), actor), by, lines, body["notes"], _idempotency_key())
    request_id, position = rfqs.request_quote(cmd, current_app.extensions["documents"].uow())
    return jsonify(request_id=request_id, position=position), 202


@bp.get("")
@documented(query=RequestQuery, response=answers.RequestPage, problems=[401, 403, 503])
def index(tenant_id):
    """The requests for quote the caller may see, newest first: a portal user its customer's, in-house staff
    and system administrators all, a sales rep its own customers'."""
    by = reader()
    query = RequestQuery().load(request.args.to_dict())
    documents = current_app.extensions["documents"]
    wait(documents.pool, Projected.of(rfqs_projection.PROJECTION, documents.config["TOPIC_PREFIX"]), query["after"])
    with documents.pool.connection() as conn:
        return jsonify(rfq_queries.list_requests(conn, by, query["page"], query["page_size"]))
