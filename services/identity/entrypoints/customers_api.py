"""HTTP API for customers: add by hand, sync from the accounting system, change, archive, read."""
from __future__ import annotations

from flask import Blueprint, current_app, jsonify, request

from eventkit.consistency import ReadAfterQuery
from eventkit.openapi import documented
from eventkit.problems import Problem
from eventkit.requests import metadata

from ..domain.commands import ArchiveCustomer, CreateCustomer, ImportCustomer, UpdateCustomer
from ..domain.errors import CustomerNotFound
from ..service_layer import customer_queries, customers
from . import answers, reads
from .http import actor, json_body, tenant
from .schemas import (ArchiveBody, CustomerBody, CustomerChangesBody, CustomerCodePath, CustomerQuery, NewCustomerBody,
                      PageQuery)

bp = Blueprint("customers", __name__, url_prefix="/v1/tenants/<tenant_id>/customers")


def _identity():
    return current_app.extensions["identity"]


def _answer(outcome: customers.Outcome, status: int):
    body = outcome.customer.as_dict()
    body["position"] = outcome.position
    response = jsonify(body)
    response.status_code = status
    response.headers["ETag"] = f'"{outcome.customer.version}"'
    response.headers["Location"] = f"{request.script_root}/v1/tenants/{tenant()}/customers/{outcome.customer.code}"
    return response


@bp.post("")
@documented(body=NewCustomerBody, response=answers.CustomerChanged, status=201, problems=[409])
def create(tenant_id):
    """Add a customer by hand (CustomerCreated); 409 if the code is taken."""
    body = NewCustomerBody().load(json_body())
    code = body.pop("code").strip()
    cmd = CreateCustomer(metadata(tenant(), actor()), code, body)
    return _answer(customers.create_customer(cmd, _identity().uow()), 201)


@bp.put("/<customer_code:code>")
@documented(body=CustomerBody, response=answers.CustomerChanged, also=[201], problems=[409])
def sync(tenant_id, code):
    """Create or update from the accounting system, matched by code; safe to retry."""
    code = CustomerCodePath().load({"code": code.strip()})["code"]
    body = CustomerBody().load(json_body())
    cmd = ImportCustomer(metadata(tenant(), actor()), code, body)
    outcome = customers.import_customer(cmd, _identity().uow())
    return _answer(outcome, 201 if outcome.created else 200)


@bp.patch("/<customer_code:code>")
@documented(body=CustomerChangesBody, response=answers.CustomerChanged, problems=[409])
def change(tenant_id, code):
    """Change some fields (CustomerUpdated with only the changed ones)."""
    body = CustomerChangesBody().load(json_body())
    expected = body.pop("expected_version")
    cmd = UpdateCustomer(metadata(tenant(), actor()), code, body, expected)
    return _answer(customers.update_customer(cmd, _identity().uow()), 200)


@bp.post("/<customer_code:code>/archive")
@documented(body=ArchiveBody, body_required=False, response=answers.CustomerChanged, problems=[409])
def archive(tenant_id, code):
    """Archive a customer (CustomerArchived): no new portal users or invitations for it."""
    body = ArchiveBody().load(json_body(optional=True))
    cmd = ArchiveCustomer(metadata(tenant(), actor()), code, body["reason"], body["expected_version"])
    return _answer(customers.archive_customer(cmd, _identity().uow()), 200)


@bp.get("/<customer_code:code>")
@documented(query=ReadAfterQuery, response=answers.Customer, problems=[503])
def show(tenant_id, code):
    """One customer with its contacts, as it stands now."""
    reads.after_in_store(ReadAfterQuery().load(request.args.to_dict())["after"])
    customer = customers.get_customer(tenant(), code, _identity().uow())
    if customer is None:
        raise CustomerNotFound(code)
    response = jsonify(customer.as_dict())
    response.headers["ETag"] = f'"{customer.version}"'
    return response


@bp.get("")
@documented(query=CustomerQuery, response=answers.CustomerPage, problems=[503])
def index(tenant_id):
    """Customers searched by name or code and filtered by kind, type, sales rep, price list, status."""
    query = CustomerQuery().load(request.args.to_dict())
    reads.after_in_customer_list(query["after"])
    f = customer_queries.CustomerFilter(query["q"], query["kind"], query["customer_type"], query["sales_rep"],
                                        query["price_list"], query["status"])
    with _identity().pool.connection() as conn:
        return jsonify(customer_queries.list_customers(conn, tenant(), f, query["page"], query["page_size"]))


@bp.get("/filter-values")
@documented(query=ReadAfterQuery, response=answers.FilterValues, problems=[503])
def filter_values(tenant_id):
    """The customer types, sales reps and price lists the tenant's customers carry: the filters' choices."""
    reads.after_in_customer_list(ReadAfterQuery().load(request.args.to_dict())["after"])
    with _identity().pool.connection() as conn:
        return jsonify(customer_queries.filter_values(conn, tenant()))


@bp.get("/<customer_code:code>/history")
@documented(query=PageQuery, response=answers.HistoryPage, problems=[503])
def history(tenant_id, code):
    """The customer's events, newest first, with who did it and when."""
    query = PageQuery().load(request.args.to_dict())
    reads.after_in_store(query["after"])
    page = customer_queries.customer_history(tenant(), code, _identity().users_uow(), query["page"], query["page_size"])
    if page is None:
        raise CustomerNotFound(code)
    return jsonify(page)
