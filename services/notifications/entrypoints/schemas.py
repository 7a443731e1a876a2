"""Request and answer bodies of the notifications API, validated with marshmallow (unknown fields: 400)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from contracts.notifications import KINDS
from eventkit.header_text import OneLine

from ..adapters.rendering import MAX_PART_LENGTH

STATUSES = ("queued", "sending", "sent", "failed")


class Strict(Schema):
    class Meta:
        unknown = RAISE


def _part(**kwargs):
    return fields.String(validate=validate.Length(max=MAX_PART_LENGTH), **kwargs)


class TemplateBody(Strict):
    """A tenant's template: Jinja2 (sandboxed); the variables are those the kind lists."""

    subject = _part(required=True, metadata={"description": "one line once rendered"})
    text = _part(required=True, metadata={"description": "the plain-text part"})
    html = _part(load_default=None, allow_none=True, metadata={"description": "the HTML part (autoescaped); "
                                                                              "none: a text-only e-mail"})


class PreviewBody(Strict):
    subject = _part()
    text = _part()
    html = _part(allow_none=True)
    sample = fields.Dict(keys=fields.String(), load_default=dict, metadata={
        "description": "values to use instead of the kind's sample values"})


class TemplateAnswer(Schema):
    kind = fields.String()
    description = fields.String()
    source = fields.String(metadata={"description": "default (shipped) or tenant (the tenant's own)"})
    subject = fields.String()
    text = fields.String()
    html = fields.String(allow_none=True)
    variables = fields.List(fields.String())
    sample = fields.Dict()


class TemplateSummary(Schema):
    kind = fields.String()
    description = fields.String()
    audience = fields.String(metadata={"description": "event, user or administrators: who receives it"})
    source = fields.String()
    updated_at = fields.DateTime(allow_none=True)
    updated_by = fields.String(allow_none=True)


class TemplateList(Schema):
    items = fields.List(fields.Nested(TemplateSummary))


class RenderedAnswer(Schema):
    kind = fields.String()
    source = fields.String(metadata={"description": "draft, default or tenant: what was rendered"})
    subject = fields.String()
    text = fields.String()
    html = fields.String(allow_none=True)


# The tenant's own addresses go into every e-mail's From and Reply-To: ASCII, so that any mail server takes them.
_ASCII_ADDRESS = validate.Regexp(r"^[\x21-\x7e]+\Z", error="Use an address with ASCII characters only.")


class SenderSettingsBody(Strict):
    from_address = fields.Email(load_default=None, allow_none=True, validate=_ASCII_ADDRESS)
    from_name = fields.String(load_default=None, allow_none=True, validate=[validate.Length(min=1, max=100),
                                                                            OneLine()])
    reply_to = fields.Email(load_default=None, allow_none=True, validate=_ASCII_ADDRESS, metadata={
        "description": "where replies go when the e-mail is not on a portal user's behalf"})
    portal_url = fields.Url(load_default=None, allow_none=True, schemes={"http", "https"}, require_tld=False,
                            metadata={"description": "the portal's address; links are built on it"})


class EffectiveSender(Schema):
    from_ = fields.String(data_key="from", attribute="from")
    from_address = fields.String()
    from_name = fields.String(allow_none=True)
    reply_to = fields.String(allow_none=True)
    portal_url = fields.String()


class SenderSettingsAnswer(Schema):
    from_address = fields.String(allow_none=True)
    from_name = fields.String(allow_none=True)
    reply_to = fields.String(allow_none=True)
    portal_url = fields.String(allow_none=True)
    updated_at = fields.DateTime(allow_none=True)
    updated_by = fields.String(allow_none=True)
    effective = fields.Nested(EffectiveSender, metadata={"description": "what e-mails use, defaults filled in"})


class DeliveryQuery(Strict):
    recipient = fields.Email(load_default=None)
    event_id = fields.UUID(load_default=None)
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    kind = fields.String(load_default=None, validate=validate.OneOf(KINDS))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class Delivery(Schema):
    delivery_id = fields.UUID()
    event_id = fields.UUID()
    event_type = fields.String()
    kind = fields.String()
    recipient = fields.String()
    sender = fields.String()
    reply_to = fields.String(allow_none=True)
    subject = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "queued, sending, sent or failed"})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    smtp_code = fields.Integer(allow_none=True)
    message_id = fields.String(allow_none=True)
    template = fields.String(allow_none=True)
    queued_at = fields.DateTime()
    next_attempt_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    failed_at = fields.DateTime(allow_none=True)


class DeliveryPage(Schema):
    items = fields.List(fields.Nested(Delivery))
    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer()
