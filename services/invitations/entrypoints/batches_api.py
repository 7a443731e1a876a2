"""HTTP API for batches of invitations: send to selected or all filtered customers, watch progress."""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..domain.commands import CandidateSelection, InviteCustomers
from ..service_layer import batches
from .http import caller, json_body, service, staff_meta
from .schemas import BatchAnswer, BatchProgress, InviteBody, Listing, PageQuery

bp = Blueprint("invitation_batches", __name__, url_prefix="/v1/tenants/<tenant_id>/invitation-batches")


def _selection(body: dict) -> CandidateSelection:
    if "customer_ids" in body:
        return CandidateSelection(customer_ids=[str(c) for c in body["customer_ids"]])
    f = body["filter"]
    return CandidateSelection(None, f["customer_type"], f["sales_rep"], f["price_list"], f["q"])


@bp.post("")
@documented(body=InviteBody, response=BatchAnswer, status=202, problems=[409, 422],
            response_headers={"Location": "where the batch's progress is read"})
def invite(tenant_id):
    """Invite customers: a batch the worker sends, one InvitationSent per customer with an address.

    Refused (409 invitation.username_administrator_required) until a username administrator is set.
    A sales rep invites only their own customers (403 auth.customer_of_another_sales_rep)."""
    body = InviteBody().load(json_body())
    addresses = {str(k): v for k, v in body["addresses"].items()}
    answer = batches.invite_customers(InviteCustomers(staff_meta(), caller(), _selection(body), addresses),
                                      service().uow())
    response = jsonify(BatchAnswer().dump(answer))
    response.status_code = 202
    response.headers["Location"] = f"{request.script_root}{bp.url_prefix.replace('<tenant_id>', tenant())}" \
                                   f"/{answer['batch_id']}"
    return response


@bp.get("/<uuid:batch_id>")
@documented(response=BatchProgress)
def progress(tenant_id, batch_id):
    """How many customers were invited and skipped so far, out of how many."""
    return jsonify(BatchProgress().dump(batches.progress(tenant(), batch_id, caller(), service().uow())))


@bp.get("/<uuid:batch_id>/skipped")
@documented(query=PageQuery, response=Listing)
def skipped(tenant_id, batch_id):
    """The customers the batch did not invite, each with the reason (e.g. no e-mail address)."""
    query = PageQuery().load(request.args.to_dict())
    return jsonify(batches.skipped_customers(tenant(), batch_id, caller(), service().uow(), query["page"],
                                             query["page_size"]))
