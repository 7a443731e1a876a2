"""HTTP API for staff: why can this user see this document, or not? Names the rule that decided."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..service_layer.why import why
from . import answers
from .auth import staff_who_may_ask_why
from .http import AREAS, kind_of
from .schemas import VisibilityQuery

bp = Blueprint("visibility", __name__, url_prefix="/v1/tenants/<tenant_id>/documents")


@bp.get(f"/<{AREAS}:area>/<number>/visibility")
@documented(query=VisibilityQuery, response=answers.Visibility, problems=[401, 403])
def explain(tenant_id, area, number):
    """The decision for one user and one document: visible or not, the rule, the reason, what is hidden."""
    staff_who_may_ask_why()
    query = VisibilityQuery().load(request.args.to_dict())
    with current_app.extensions["documents"].pool.connection() as conn:
        return jsonify(why(conn, tenant(), str(query["user_id"]), kind_of(area), number))
