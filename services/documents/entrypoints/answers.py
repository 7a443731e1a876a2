"""What the documents API answers with: its OpenAPI document's response bodies."""
from __future__ import annotations

from marshmallow import INCLUDE, Schema, fields

_CONTENT = ("and the content fields of its kind, as in the published event (docs/events.md, "
            "portico.documents.<kind>.published); amounts are left out for a staff-kind user")


class Document(Schema):
    """A document as the caller may see it."""

    class Meta:
        unknown = INCLUDE

    kind = fields.String(required=True, metadata={"description": f"quote, order, invoice, ... {_CONTENT}"})
    number = fields.String(required=True)
    redacted = fields.List(fields.String(), metadata={"description": "the fields hidden from this caller"})


class DocumentPage(Schema):
    items = fields.List(fields.Nested(Document), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)


class Published(Schema):
    """The document as stored after the ERP's call."""

    class Meta:
        unknown = INCLUDE

    kind = fields.String(required=True)
    number = fields.String(required=True)
    document_id = fields.UUID(required=True)
    version = fields.Integer(required=True)
    withdrawn = fields.Boolean(required=True)
    changed = fields.Boolean(required=True, metadata={"description": "false when the same body came again"})
    position = fields.Integer(allow_none=True, metadata={"description": "the events' position; null if unchanged"})


class QuoteRequested(Schema):
    request_id = fields.String(required=True)
    position = fields.Integer(allow_none=True)


class Visibility(Schema):
    class Meta:
        unknown = INCLUDE

    visible = fields.Boolean(required=True)
    rule = fields.String(allow_none=True, metadata={"description": "the rule that decided"})
    explanation = fields.String(allow_none=True)
    document = fields.Dict()
    user = fields.Dict(allow_none=True)


class DocumentThen(Schema):
    """A document as it was at the instant asked about, and whether the user could open it then."""

    kind = fields.String(required=True)
    number = fields.String(required=True)
    status = fields.String(allow_none=True, metadata={"description": "a quote's status, an order's customer-facing one"})
    receivable_account = fields.String(required=True)
    as_of = fields.String(metadata={"description": "since when the document was so (its version's time)"})
    visible = fields.Boolean(required=True)
    rule = fields.String(required=True, metadata={"description": "the rule that decided"})
    explanation = fields.String(required=True)
    redactions = fields.List(fields.String(), metadata={"description": "what was hidden from the user"})


class VisibilityAt(Schema):
    """What a user could see at an instant: the user then and, per area, the documents of its account then."""

    at = fields.String(required=True)
    user = fields.Dict(allow_none=True, metadata={"description": "status, areas, own-orders flag, receivable "
                                                                 "account as they were; null: not known yet"})
    rule = fields.String(allow_none=True, metadata={"description": "the rule that refused everything, if one did"})
    explanation = fields.String(allow_none=True)
    areas = fields.Dict(keys=fields.String(), values=fields.List(fields.Nested(DocumentThen)))


class RequestCustomer(Schema):
    customer_id = fields.UUID(required=True)
    code = fields.String(allow_none=True, metadata={"description": "null until identity's customer event arrives"})
    name = fields.String(allow_none=True)
    receivable_account = fields.String(required=True)


class Requester(Schema):
    user_id = fields.UUID(required=True)
    username = fields.String(required=True)


class RequestLine(Schema):
    class Meta:
        unknown = INCLUDE

    line_number = fields.Integer(required=True)
    description = fields.String(required=True)
    quantity = fields.String(required=True)


class RequestForQuote(Schema):
    """A request for quote as it was sent, with who sent it, for which customer and when."""

    request_id = fields.UUID(required=True)
    requested_at = fields.DateTime(required=True)
    customer = fields.Nested(RequestCustomer, required=True)
    requested_by = fields.Nested(Requester, required=True)
    lines = fields.List(fields.Nested(RequestLine), required=True, metadata={
        "description": "as sent: line_number, item_code, description, quantity, unit, needed_by"})
    notes = fields.String(allow_none=True)


class RequestPage(Schema):
    items = fields.List(fields.Nested(RequestForQuote), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True)
