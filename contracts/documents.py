"""Events the documents service publishes, on portico.documents.

One event type per kind of document (quote, order, invoice, ar_statement, shipment) and change
(published, updated, withdrawn), rather than one event with a `kind` field: each kind's schema is
then exact and closed, and a consumer that cares about invoices subscribes to invoice events alone.
Published and updated carry the whole document as the ERP last sent it (state, not a diff), so a
consumer never has to merge; updated also names the fields that changed. Stream: `<kind>-<document_id>`.

QuoteRequested is a portal user's request for quote (seed 003), for the ERP to turn into a quote.
"""
from marshmallow import fields, validate

from .catalogue import EventContract
from .document_fields import CONTENT, decimal, optional_date, text
from .fields import StrictSchema
from .topics import DOCUMENTS

KINDS = tuple(CONTENT)
LABELS = {"quote": "a quote", "order": "a sales order", "invoice": "an invoice", "ar_statement": "an A/R statement",
          "shipment": "a shipment"}


class DocumentRef(StrictSchema):
    document_id = fields.UUID(required=True, metadata={"description": "derived from tenant, kind and number"})
    number = fields.String(required=True, validate=validate.Length(min=1, max=50),
                           metadata={"description": "the ERP's document number, unique per tenant and kind"})


class Withdrawn(DocumentRef):
    receivable_account = text(50, required=True)
    reason = text(500, required=True, allow_none=True)


def _carrying(kind: str, changed: bool) -> type:
    body = {"document": fields.Nested(CONTENT[kind], required=True)}
    if changed:
        body["changed"] = fields.List(fields.String(), required=True, validate=validate.Length(min=1), metadata={
            "description": "top-level fields of `document` whose value differs from the previous version"})
    name = "".join(part.title() for part in kind.split("_")) + ("Updated" if changed else "Published")
    return type(name, (DocumentRef,), body)


def _document_events(kind: str) -> list[EventContract]:
    label = LABELS[kind]

    def contract(verb: str, schema, description: str) -> EventContract:
        return EventContract(type=f"portico.documents.{kind}.{verb}", version=1, owner="documents", topic=DOCUMENTS,
                             key=f"stream id: {kind}-<document_id>", schema=schema, description=description)

    return [
        contract("published", _carrying(kind, False), f"The ERP published {label}: the whole document."),
        contract("updated", _carrying(kind, True), f"The ERP replaced {label}: the whole new document and "
                 "which fields changed."),
        contract("withdrawn", Withdrawn, f"The ERP withdrew {label}; nobody sees it any more."),
    ]


class RequestedLine(StrictSchema):
    line_number = fields.Integer(required=True, validate=validate.Range(min=1))
    item_code = text(50)
    description = text(500, required=True)
    quantity = decimal("quantity in `unit`", "12", required=True)
    unit = text(20)
    needed_by = optional_date("when the customer needs it")


class Requester(StrictSchema):
    user_id = fields.UUID(required=True)
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))


class QuoteRequested(StrictSchema):
    request_id = fields.UUID(required=True)
    receivable_account = text(50, required=True)
    customer_id = fields.UUID(required=True)
    requested_by = fields.Nested(Requester, required=True)
    lines = fields.List(fields.Nested(RequestedLine), required=True, validate=validate.Length(min=1, max=200))
    notes = text(2000)


CONTRACTS = [c for kind in KINDS for c in _document_events(kind)] + [
    EventContract(type="portico.documents.quote.requested", version=1, owner="documents", topic=DOCUMENTS,
                  key="stream id: rfq-<request_id>", schema=QuoteRequested,
                  description="A portal user with the Quotes area asked for a quote (RFQ, seed 003); the ERP "
                              "answers with a quote whose rfq_id is this request_id."),
]
