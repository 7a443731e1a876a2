"""HTTP API for portal users: their documents, listed, searched, paged and opened (seeds 002, 003, 004)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.consistency import Projected
from eventkit.openapi import documented
from eventkit.read_your_writes import wait
from eventkit.requests import tenant

from ..adapters.projections.documents import PROJECTION
from ..service_layer import document_queries
from . import answers
from .auth import reader
from .http import AREAS, kind_of
from .request_connection import connection
from .serving import forget, serving
from .schemas import DocumentQuery, ReadAfter

bp = Blueprint("documents", __name__, url_prefix="/v1/tenants/<tenant_id>/documents")


@bp.get("")
@documented(query=DocumentQuery, response=answers.DocumentPage, problems=[401, 403, 503])
def index(tenant_id):
    """The documents the caller may see, newest first; amounts left out for a staff-kind user."""
    by = reader()  # who asks, before anything about the query is answered
    query = DocumentQuery().load(request.args.to_dict())
    _after(query["after"])
    kinds = (kind_of(query["area"]),) if query["area"] else ()
    f = document_queries.DocumentFilter(kinds, query["status"], query["q"])
    table, = serving(PROJECTION)
    return jsonify(document_queries.list_documents(connection(), by, f, query["page"], query["page_size"], table))


@bp.get(f"/<{AREAS}:area>/<number>")
@documented(query=ReadAfter, response=answers.Document, problems=[401, 403, 503])
def show(tenant_id, area, number):
    """One document as the caller may see it; one it may not see is answered like one that does not exist."""
    by = reader()
    _after(ReadAfter().load(request.args.to_dict())["after"])
    table, = serving(PROJECTION)
    return jsonify(document_queries.read_document(connection(), tenant(), by, kind_of(area), number, table))


def _after(token: str | None) -> None:
    """Wait (bounded) until the documents read model shows the caller's own writes, e.g. a request for quote."""
    if token:
        documents = current_app.extensions["documents"]
        wait(documents.pool, Projected.of(PROJECTION, documents.config["TOPIC_PREFIX"]), token)
        forget()
