"""HTTP API for staff: why can this user see this document, or not? And what could it see on a past day?"""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.consistency import Projected
from eventkit.openapi import documented
from eventkit.read_your_writes import wait
from eventkit.requests import tenant

from ..adapters.projections import document_versions, user_versions

from ..service_layer.visibility_at import visibility_at
from ..service_layer.why import why
from . import answers
from .auth import staff_who_may_ask_why
from .http import AREAS, kind_of
from .schemas import VisibilityAtQuery, VisibilityQuery

bp = Blueprint("visibility", __name__, url_prefix="/v1/tenants/<tenant_id>")


@bp.get(f"/documents/<{AREAS}:area>/<number>/visibility")
@documented(query=VisibilityQuery, response=answers.Visibility, problems=[401, 403])
def explain(tenant_id, area, number):
    """The decision for one user and one document: visible or not, the rule, the reason, what is hidden."""
    staff_who_may_ask_why()
    query = VisibilityQuery().load(request.args.to_dict())
    with current_app.extensions["documents"].pool.connection() as conn:
        return jsonify(why(conn, tenant(), str(query["user_id"]), kind_of(area), number))


@bp.get("/users/<uuid:user_id>/visibility")
@documented(query=VisibilityAtQuery, response=answers.VisibilityAt, problems=[401, 403, 503])
def at_instant(tenant_id, user_id):
    """What the user could see at an instant: per area, its documents then, each with the rule that decided."""
    staff_who_may_ask_why()
    query = VisibilityAtQuery().load(request.args.to_dict())
    documents = current_app.extensions["documents"]
    for history in (user_versions.PROJECTION, document_versions.PROJECTION):  # e.g. after staff changed the user
        wait(documents.pool, Projected.of(history, documents.config["TOPIC_PREFIX"]), query["after"])
    with documents.pool.connection() as conn:
        return jsonify(visibility_at(conn, tenant(), str(user_id), query["at"]))
