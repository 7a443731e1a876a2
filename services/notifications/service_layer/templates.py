"""Tenants' templates: the one in use, save (only if it renders), back to the default, preview."""
from __future__ import annotations

from ..adapters import template_table
from ..adapters.rendering import Rendered, Renderer, Template, default_template
from ..domain.errors import UnknownKind
from ..domain.kinds import KINDS, Kind

DEFAULT, TENANT = "default", "tenant"


def kind_named(name: str) -> Kind:
    if name not in KINDS:
        raise UnknownKind(name, KINDS)
    return KINDS[name]


def in_use(conn, tenant_id: str, kind: str) -> tuple[Template, str]:
    """The template an e-mail of this kind is made from now, and whether it is the default or the tenant's."""
    own = template_table.find(conn, tenant_id, kind)
    return (own, TENANT) if own else (default_template(kind), DEFAULT)


def listing(conn, tenant_id: str) -> list[dict]:
    own = template_table.overridden(conn, tenant_id)
    return [{"kind": k.name, "description": k.description, "audience": k.audience,
             "source": TENANT if k.name in own else DEFAULT, **own.get(k.name, {})} for k in KINDS.values()]


def save(conn, renderer: Renderer, tenant_id: str, kind: str, template: Template, actor: str) -> Rendered:
    """Store the tenant's template, refused (TemplateInvalid) unless it renders against the kind's sample."""
    rendered = renderer.check(template, kind_named(kind).sample())
    template_table.put(conn, tenant_id, kind, template, actor)
    return rendered


def reset(conn, tenant_id: str, kind: str) -> bool:
    kind_named(kind)
    return template_table.delete(conn, tenant_id, kind)


def preview(conn, renderer: Renderer, tenant_id: str, kind: str, draft: Template | None,
            sample: dict | None = None) -> tuple[Rendered, str]:
    """Render a draft (or the template in use) against the kind's sample, some values replaced."""
    context = {**kind_named(kind).sample(), **(sample or {})}
    template, source = (draft, "draft") if draft else in_use(conn, tenant_id, kind)
    return renderer.check(template, context), source
