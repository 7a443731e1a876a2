"""HTTP API for a tenant's e-mail templates (seed 004: "Change Welcome Email Templates"), with preview."""
from __future__ import annotations

from dataclasses import replace

from flask import Blueprint, jsonify
from marshmallow import ValidationError

from eventkit.openapi import documented
from eventkit.requests import tenant

from ..adapters.rendering import Template
from ..service_layer import templates
from .http import in_house_staff, json_body, service
from .schemas import PreviewBody, RenderedAnswer, TemplateAnswer, TemplateBody, TemplateList

bp = Blueprint("templates", __name__, url_prefix="/v1/tenants/<tenant_id>/templates")


def _answer(kind: str):
    with service().pool.connection() as conn:
        template, source = templates.in_use(conn, tenant(), kind)
    about = templates.kind_named(kind)
    return jsonify(TemplateAnswer().dump({"kind": kind, "description": about.description, "source": source,
                                          "subject": template.subject, "text": template.text, "html": template.html,
                                          "variables": about.names(), "sample": about.sample()}))


@bp.get("")
@documented(response=TemplateList)
def index(tenant_id):
    """Every kind of e-mail, and whether the tenant uses its own template for it or the default."""
    in_house_staff()
    with service().pool.connection() as conn:
        return jsonify(TemplateList().dump({"items": templates.listing(conn, tenant())}))


@bp.get("/<kind>")
@documented(response=TemplateAnswer)
def show(tenant_id, kind):
    """The template e-mails of this kind are made from now, with the variables it may use."""
    in_house_staff()
    templates.kind_named(kind)
    return _answer(kind)


@bp.put("/<kind>")
@documented(body=TemplateBody, response=TemplateAnswer, problems=[422])
def save(tenant_id, kind):
    """Use the tenant's own template for this kind; refused (422) unless every part renders."""
    by = in_house_staff()
    body = TemplateBody().load(json_body())
    with service().pool.connection() as conn:
        templates.save(conn, service().renderer, tenant(), kind, Template(body["subject"], body["text"], body["html"]),
                       by)
    return _answer(kind)


@bp.delete("/<kind>")
@documented(status=204)
def reset(tenant_id, kind):
    """Go back to the shipped default for this kind."""
    in_house_staff()
    with service().pool.connection() as conn:
        templates.reset(conn, tenant(), kind)
    return "", 204


@bp.post("/<kind>/preview")
@documented(body=PreviewBody, response=RenderedAnswer, problems=[422])
def preview(tenant_id, kind):
    """Render a draft (the parts given replace those in use) or the template in use against a sample event."""
    in_house_staff()
    body = PreviewBody().load(json_body(optional=True) or {})
    unknown = sorted(set(body["sample"]) - set(templates.kind_named(kind).names()))
    if unknown:
        raise ValidationError({"sample": {name: ["not a variable of this kind"] for name in unknown}})
    parts = {part: body[part] for part in ("subject", "text", "html") if part in body}
    with service().pool.connection() as conn:
        draft = replace(templates.in_use(conn, tenant(), kind)[0], **parts) if parts else None
        rendered, source = templates.preview(conn, service().renderer, tenant(), kind, draft, body["sample"])
    return jsonify(RenderedAnswer().dump({"kind": kind, "source": source, "subject": rendered.subject,
                                          "text": rendered.text, "html": rendered.html}))
