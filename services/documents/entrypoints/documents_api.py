"""HTTP API for portal users: their documents, listed, searched, paged and opened (seeds 002, 003, 004)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..service_layer import document_queries
from . import answers
from .auth import reader
from .http import AREAS, kind_of
from .schemas import DocumentQuery

bp = Blueprint("documents", __name__, url_prefix="/v1/tenants/<tenant_id>/documents")


@bp.get("")
@documented(query=DocumentQuery, response=answers.DocumentPage, problems=[401, 403])
def index(tenant_id):
    """The documents the caller may see, newest first; amounts left out for a staff-kind user."""
    by = reader()  # who asks, before anything about the query is answered
    query = DocumentQuery().load(request.args.to_dict())
    kinds = (kind_of(query["area"]),) if query["area"] else ()
    f = document_queries.DocumentFilter(kinds, query["status"], query["q"])
    with current_app.extensions["documents"].pool.connection() as conn:
        return jsonify(document_queries.list_documents(conn, by, f, query["page"], query["page_size"]))


@bp.get(f"/<{AREAS}:area>/<number>")
@documented(response=answers.Document, problems=[401, 403])
def show(tenant_id, area, number):
    """One document as the caller may see it; one it may not see is answered like one that does not exist."""
    by = reader()
    with current_app.extensions["documents"].pool.connection() as conn:
        return jsonify(document_queries.read_document(conn, tenant(), by, kind_of(area), number))
