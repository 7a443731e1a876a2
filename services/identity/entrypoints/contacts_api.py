"""HTTP API for a company's contacts: add, change, remove (each an event with who did it)."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.openapi import documented
from eventkit.requests import metadata

from ..domain.commands import AddContact, RemoveContact, UpdateContact
from ..service_layer import contacts
from ..service_layer.customers import Outcome
from . import answers
from .http import actor, json_body, tenant
from .schemas import ContactBody, ContactChangesBody, ExpectedVersionQuery

bp = Blueprint("contacts", __name__, url_prefix="/v1/tenants/<tenant_id>/customers/<code>/contacts")


def _uow():
    return current_app.extensions["identity"].uow()


def _answer(outcome: Outcome, contact_id: str | None, status: int):
    customer = outcome.customer
    body = {"customer": customer.as_dict(), "position": outcome.position}
    if contact_id in customer.contacts:
        body["contact"] = customer.contacts[contact_id]
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = f'"{customer.version}"'
    return response


@bp.post("")
@documented(body=ContactBody, response=answers.ContactChanged, status=201, problems=[409])
def add(tenant_id, code):
    """Add a contact to a company (ContactAdded); 409 if its e-mail is already a contact's."""
    cmd = AddContact(metadata(tenant(), actor()), code, ContactBody().load(json_body()))
    outcome = contacts.add_contact(cmd, _uow())
    contact_id = outcome.events[0].data["contact_id"]
    response = _answer(outcome, contact_id, 201)
    response.headers["Location"] = f"{request.script_root}{request.path}/{contact_id}"
    return response


@bp.patch("/<contact_id>")
@documented(body=ContactChangesBody, response=answers.ContactChanged, problems=[409])
def change(tenant_id, code, contact_id):
    """Change some of a contact's fields (ContactUpdated with only the changed ones)."""
    body = ContactChangesBody().load(json_body())
    expected = body.pop("expected_version")
    cmd = UpdateContact(metadata(tenant(), actor()), code, contact_id, body, expected)
    return _answer(contacts.update_contact(cmd, _uow()), contact_id, 200)


@bp.delete("/<contact_id>")
@documented(query=ExpectedVersionQuery, response=answers.ContactChanged, problems=[409])
def remove(tenant_id, code, contact_id):
    """Remove a contact (ContactRemoved); removing one already gone changes nothing."""
    expected = ExpectedVersionQuery().load(request.args.to_dict())["expected_version"]
    cmd = RemoveContact(metadata(tenant(), actor()), code, contact_id, expected)
    return _answer(contacts.remove_contact(cmd, _uow()), None, 200)
