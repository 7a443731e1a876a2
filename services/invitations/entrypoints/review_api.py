"""HTTP API for in-house users: the invitation history and the usernames waiting for approval."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from eventkit.consistency import Projected
from eventkit.openapi import documented
from eventkit.read_your_writes import wait
from eventkit.requests import tenant

from ..adapters.projections import history, unapproved_usernames
from ..service_layer import queries
from .http import caller, service
from .schemas import HistoryQuery, Listing, PageQuery

bp = Blueprint("invitation_review", __name__, url_prefix="/v1/tenants/<tenant_id>")


def _caught_up(projection, after: str | None) -> None:
    wait(service().pool, Projected.of(projection, service().config["TOPIC_PREFIX"]), after)


@bp.get("/invitation-history")
@documented(query=HistoryQuery, response=Listing, problems=[503])
def invitation_history(tenant_id):
    """Sent, opened, resent, revoked, expired, accepted and skipped, newest first."""
    by = caller()
    query = HistoryQuery().load(request.args.to_dict())
    _caught_up(history.PROJECTION, query["after"])
    customer = str(query["customer_id"]) if query["customer_id"] else None
    with service().pool.connection() as conn:
        return jsonify(queries.list_history(conn, tenant(), by, query["happened"], customer, query["page"],
                                            query["page_size"]))


@bp.get("/unapproved-usernames")
@documented(query=PageQuery, response=Listing, problems=[503])
def unapproved(tenant_id):
    """Registered usernames waiting for approval, with their customer and invitation (seed 004).

    Approve or delete them in identity (POST .../users/<user_id>/approve or /delete); they then leave
    this list."""
    by = caller()
    query = PageQuery().load(request.args.to_dict())
    _caught_up(unapproved_usernames.PROJECTION, query["after"])
    with service().pool.connection() as conn:
        return jsonify(queries.list_unapproved(conn, tenant(), by, query["page"], query["page_size"]))
