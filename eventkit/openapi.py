"""OpenAPI 3.1 for a service, built from its Flask routes and the marshmallow schemas its views load.

A view says what it takes and answers with `@documented(body=..., query=..., response=...)`, naming
the same schema classes it validates with, so the document cannot drift from the code. Errors are
RFC 9457 problems (`Problem` below). Views without `@documented` are left out of the document, and
a test fails for every route that is; see DEVELOPERS.md, "Add an endpoint".
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.ext.marshmallow.common import resolve_schema_instance
from flask import Flask
from werkzeug.routing import Rule

from . import problem_schema
from .consistency import HEADER as POSITION_HEADER
from .requests import _TENANT as TENANT

_PATH_TYPES = {"UUIDConverter": {"type": "string", "format": "uuid"}, "IntegerConverter": {"type": "integer"},
               "FloatConverter": {"type": "number"}}
_PATH_PARAMETERS = {"tenant_id": ({"type": "string", "pattern": TENANT.pattern},
                                   "The tenant: the distributor whose portal this is.")}
_WRITES = {"POST", "PUT", "PATCH", "DELETE"}


@dataclass(frozen=True)
class Operation:
    summary: str | None = None
    body: object = None       # a marshmallow Schema class or instance
    query: object = None
    response: object = None   # Schema(many=True) for a list; None: no body
    status: int = 200
    also: tuple[int, ...] = ()  # other success statuses with the same body, e.g. 201 of a PUT that created
    body_required: bool = True
    body_content_type: str = "application/json"  # multipart/form-data for an upload
    files: dict = field(default_factory=dict)  # an upload's file parts, each required: name -> description
    problems: tuple[int, ...] = ()
    response_headers: dict = field(default_factory=dict)  # name -> description
    content_type: str = "application/json"
    security: str | None = None  # the scheme this view takes instead of the service's default (bearer)
    # What a protocol endpoint answers besides problems (media type -> schema), e.g. OAuth 2.0's JSON errors
    # (RFC 6749 5.2) or the page a browser is shown.
    error_content: dict = field(default_factory=dict)


# identity's access token (JWT, verified against identity's JWKS): what portal and staff users send.
BEARER = {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
          "description": "An access token from identity's login (`POST /v1/tenants/{tenant_id}/auth/login`)."}


def documented(**kwargs) -> Callable:
    """Describe a view for the OpenAPI document: body, query, response schemas, status, problems."""
    if kwargs.get("files"):
        kwargs.setdefault("body_content_type", "multipart/form-data")
    operation = Operation(**{**kwargs, "problems": tuple(kwargs.get("problems", ())),
                             "also": tuple(kwargs.get("also", ()))})

    def mark(view):
        view.openapi = operation
        return view
    return mark


def _field_extras(self, field, **kwargs) -> dict:
    """A custom marshmallow field describes its JSON shape in an `openapi` class attribute."""
    return dict(getattr(field, "openapi", None) or {})


def _path(rule: Rule) -> tuple[str, list[dict]]:
    """`/customers/<code>` as `/customers/{code}`, and its path parameters with their types."""
    parameters = []
    for name, converter in rule._converters.items():
        kind = type(converter).__name__
        schema, text = _PATH_PARAMETERS.get(name, (_PATH_TYPES.get(kind, {"type": "string"}), None))
        schema = dict(schema, enum=sorted(converter.items)) if kind == "AnyConverter" else dict(schema)
        parameter = {"in": "path", "name": name, "required": True, "schema": schema}
        if text:
            parameter["description"] = text
        parameters.append(parameter)
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule.rule), parameters


def _responses(op: Operation, summary: str, method: str, has_path_params: bool, secured: bool) -> dict:
    success = {"description": summary}
    if op.response is not None:
        success["content"] = {op.content_type: {"schema": op.response}}
    headers = dict(op.response_headers)
    if method in _WRITES:
        headers[POSITION_HEADER] = ("Where the events this command wrote went; pass it as `after` to a read to "
                                    "see this change there. Absent when nothing changed.")
    if headers:
        success["headers"] = {name: {"description": text, "schema": {"type": "string"}}
                              for name, text in headers.items()}
    statuses = set(op.problems)
    if has_path_params:
        statuses.add(404)
    if op.body is not None or op.files:
        statuses |= {400, 415}
    if op.query is not None:
        statuses.add(400)
    if secured:
        statuses |= {401, 403}
    responses = {str(status): success for status in sorted({op.status, *op.also})}
    for status in sorted(statuses - {op.status, *op.also}):
        responses[str(status)] = problem_schema.response(status)
    responses["default"] = problem_schema.response(None)
    for status, response in responses.items():
        if op.error_content and status not in {"default", str(op.status), *map(str, op.also)}:
            response["content"] = {**response["content"], **op.error_content}
    return responses


def _upload(op: Operation, converter) -> dict:
    """An upload's form as one object: the body schema's fields and its file parts, so that a schema which
    refuses unknown fields still admits the files (an allOf of the two could never be satisfied)."""
    form = converter.schema2jsonschema(resolve_schema_instance(op.body)) if op.body is not None else {
        "type": "object", "additionalProperties": False}
    files = {name: {"type": "string", "contentMediaType": "application/octet-stream", "description": text}
             for name, text in op.files.items()}
    return {**form, "properties": {**form.get("properties", {}), **files},
            "required": sorted({*form.get("required", ()), *files})}


def _operation(view, op: Operation, rule: Rule, method: str, parameters: list, secured: bool, converter) -> dict:
    doc = (view.__doc__ or "").strip()
    summary = op.summary or doc.split("\n")[0] or rule.endpoint.replace("_", " ")
    operation = {"operationId": rule.endpoint if len(rule.methods - {"HEAD", "OPTIONS"}) == 1
                 else f"{rule.endpoint}.{method.lower()}",
                 "summary": summary,
                 "tags": [rule.endpoint.split(".")[0]] if "." in rule.endpoint else [],
                 "parameters": list(parameters),
                 "responses": _responses(op, summary, method, bool(parameters), secured)}
    if doc and "\n" in doc:
        operation["description"] = doc
    if op.query is not None:
        operation["parameters"].append({"in": "query", "schema": op.query})
    if op.body is not None or op.files:
        schema = _upload(op, converter) if op.files else op.body
        operation["requestBody"] = {"required": op.body_required,
                                    "content": {op.body_content_type: {"schema": schema}}}
    if not secured:
        operation["security"] = []
    elif op.security:
        operation["security"] = [{op.security: []}]
    return operation


def build(app: Flask, title: str, version: str, description: str = "",
          public: Callable[[Callable], bool] | None = None, schemes: dict | None = None) -> dict:
    """The OpenAPI 3.1 document of every @documented route.

    `public` tells the views that need no credential (None: every view is open); every other view takes
    the service's bearer token, or the scheme of `schemes` its `@documented(security=...)` names.
    """
    plugin = MarshmallowPlugin()
    spec = APISpec(title, version, "3.1.0", plugins=[plugin], info={"description": description})
    plugin.converter.add_attribute_function(_field_extras)
    spec.components.schema("Problem", problem_schema.PROBLEM)
    if public is not None:
        for name, scheme in {"bearer": BEARER, **(schemes or {})}.items():
            spec.components.security_scheme(name, scheme)
    paths: dict[str, dict] = {}
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        view = app.view_functions[rule.endpoint]
        op = getattr(view, "openapi", None)
        if op is None:
            continue
        path, parameters = _path(rule)
        secured = public is not None and not public(view)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            operation = _operation(view, op, rule, method, parameters, secured, plugin.converter)
            paths.setdefault(path, {})[method.lower()] = operation
    for path, operations in paths.items():
        spec.path(path=path, operations=operations)
    document = spec.to_dict()
    if public is not None:
        document["security"] = [{"bearer": []}]
    return document
