"""HTTP API of crypto-shredding (issue 17): forget a person (a system administrator, with a reason), and
release people's data keys to the other services' consumers (a service credential; every release audited)."""
from __future__ import annotations

import base64
import hmac

from flask import Blueprint, current_app, jsonify, request
from marshmallow import RAISE, Schema, fields, validate

from contracts.personal import SUBJECT_PATTERN
from eventkit.openapi import documented
from eventkit.problems import Problem
from eventkit.requests import metadata

from ..service_layer import personal_data, policy
from . import auth
from .http import actor, json_body, tenant

bp = Blueprint("personal_data", __name__, url_prefix="/v1/tenants/<tenant_id>")


class ErasureBody(Schema):
    class Meta:
        unknown = RAISE

    reason = fields.String(required=True, validate=validate.Length(min=3, max=500), metadata={
        "description": "why the person is forgotten (their request under GDPR article 17, they left the company)"})


class Erasure(Schema):
    subject = fields.String(required=True, metadata={"description": "the person forgotten"})
    forgotten_at = fields.DateTime(required=True, metadata={"description": "when; the same on every repeat"})


class KeyReleaseBody(Schema):
    class Meta:
        unknown = RAISE

    subjects = fields.List(fields.String(validate=validate.Regexp(SUBJECT_PATTERN)), required=True,
                           validate=validate.Length(min=1, max=500), metadata={
                               "description": "the people whose sealed values the caller's consumer must open"})
    make = fields.Boolean(load_default=False, metadata={
        "description": "the caller seals these people's values: make the key of a person who has none yet (never "
                       "of a forgotten one); a subject that is no person (a company) gets none"})


class KeyRelease(Schema):
    keys = fields.Dict(keys=fields.String(), values=fields.String(allow_none=True), required=True, metadata={
        "description": "per person, their data key (base64, AES-256-GCM); null: forgotten, or nothing sealed "
                       "for them, so their sealed values open to the marker"})
    forgotten = fields.List(fields.String(), required=True, metadata={
        "description": "which of them are forgotten: what is written about them now is sealed under no key"})


@bp.post("/people/<subject>/erasure")
@documented(body=ErasureBody, response=Erasure, problems=[404])
def erase(tenant_id, subject):
    """Forget a person: delete their key, so every copy of their sealed values opens to nothing (idempotent)."""
    policy.system_administrator_only(auth.principal())
    personal_data.parse_subject(subject)
    body = ErasureBody().load(json_body())
    uow = current_app.extensions["identity"].uow()
    return jsonify(personal_data.forget(uow, metadata(tenant(), actor()), subject, body["reason"]))


def _caller() -> str:
    """The service whose credential the request carries; 401 otherwise."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    callers = current_app.config.get("PERSONAL_DATA_CALLERS") or {}
    for name, secret in callers.items():
        if scheme.lower() == "bearer" and secret and hmac.compare_digest(token.strip().encode(), str(secret).encode()):
            return name
    raise Problem(401, "auth.service_credential_required", "Authentication required",
                  "Only Portico's own services may have keys released: send the service's credential as "
                  "Authorization: Bearer <PORTICO_PERSONAL_DATA_TOKEN>.",
                  headers={"WWW-Authenticate": 'Bearer realm="portico-services"'})


@bp.post("/personal-data/keys")
@auth.public  # not a person's access token: a service credential, checked here
@documented(body=KeyReleaseBody, response=KeyRelease, problems=[401])
def release(tenant_id):
    """Release people's data keys to a service's consumer, recording who asked for whom and when."""
    caller = _caller()
    body = KeyReleaseBody().load(json_body())
    identity = current_app.extensions["identity"]
    keys, forgotten = personal_data.release_keys(identity.pool, identity.store.wrapper, tenant(), caller,
                                                 sorted(set(body["subjects"])), make=body["make"])
    return jsonify({"keys": {s: base64.b64encode(k).decode() if k else None for s, k in keys.items()},
                    "forgotten": forgotten})


release.service_credential = True  # in OpenAPI a bearer credential (a service's), though no person's token
