"""HTTP API for the ERP: publish (create or replace) and withdraw documents by number, with its API key."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify

from contracts.document_fields import CONTENT
from eventkit.openapi import documented
from eventkit.requests import metadata, tenant

from ..domain.commands import PublishDocument, WithdrawDocument
from ..service_layer import documents
from . import answers
from .auth import erp
from .http import AREAS, document_number, json_body, kind_of
from .schemas import WithdrawBody

bp = Blueprint("erp", __name__, url_prefix="/v1/tenants/<tenant_id>/documents")


def _answer(outcome: documents.Outcome, status: int):
    response = jsonify({**outcome.document.as_dict(), "withdrawn": outcome.document.withdrawn,
                        "changed": outcome.changed, "position": outcome.position})
    response.status_code = status
    response.headers["ETag"] = f'"{outcome.document.version}"'
    return response


@bp.put(f"/<{AREAS}:area>/<number>")
@documented(body={"oneOf": list(CONTENT.values()), "description": "the content schema of the URL's area"},
            response=answers.Published, also=[201], problems=[409], security="erpKey")
def publish(tenant_id, area, number):
    """Create or replace a document whole (published or updated event); the same body again changes nothing."""
    actor, kind = erp(), kind_of(area)
    schema = CONTENT[kind]()
    content = schema.dump(schema.load(json_body()))  # dump: dates as ISO strings, as the events hold them
    cmd = PublishDocument(metadata(tenant(), actor), kind, document_number(number), content)
    outcome = documents.publish_document(cmd, current_app.extensions["documents"].uow())
    return _answer(outcome, 201 if outcome.created else 200)


@bp.delete(f"/<{AREAS}:area>/<number>")
@documented(body=WithdrawBody, body_required=False, response=answers.Published, problems=[409],
            security="erpKey")
def withdraw(tenant_id, area, number):
    """Withdraw a document: nobody sees it any more; withdrawing it again changes nothing."""
    actor, kind = erp(), kind_of(area)
    body = WithdrawBody().load(json_body(optional=True))
    cmd = WithdrawDocument(metadata(tenant(), actor), kind, document_number(number), body["reason"])
    return _answer(documents.withdraw_document(cmd, current_app.extensions["documents"].uow()), 200)
