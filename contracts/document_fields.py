"""What each kind of document holds, as the ERP publishes it and as its events carry it.

One schema per kind serves both the documents API (the ERP's PUT body) and the events, so whatever
the API accepts fits the event exactly. Optional fields load as null: every event holds every field.
Amounts and quantities are decimal strings ("1250.00"), never JSON numbers, so no consumer rounds.
"""
from marshmallow import fields, validate

from eventkit.patterns import FullMatch

from .fields import StrictSchema

DECIMAL_PATTERN = r"^-?[0-9]{1,13}(\.[0-9]{1,6})?$"
QUOTE_STATUSES = ("draft", "open", "pending", "accepted", "declined", "expired")
INVOICE_STATUSES = ("open", "paid", "void")
SHIPMENT_STATUSES = ("preparing", "shipped", "in_transit", "delivered", "returned")


def decimal(description: str, example: str = "1250.00", **kwargs):
    return fields.String(validate=FullMatch(DECIMAL_PATTERN, error="Not a decimal string such as \"12.50\"."),
                         metadata={"description": description, "examples": [example]}, **kwargs)


def money(description: str, required: bool = False):
    if required:
        return decimal(f"{description}, in the document's currency", required=True)
    return decimal(f"{description}, in the document's currency", load_default=None, allow_none=True)


def text(max_length: int, required: bool = False, **kwargs):
    if not required:
        kwargs.setdefault("load_default", None)
        kwargs.setdefault("allow_none", True)
    return fields.String(validate=validate.Length(min=1, max=max_length), required=required, **kwargs)


def optional_date(description: str):
    return fields.Date(load_default=None, allow_none=True, metadata={"description": description})


def currency():
    return fields.String(required=True, validate=FullMatch(r"^[A-Z]{3}$"),
                         metadata={"description": "ISO 4217 code", "examples": ["EUR"]})


class Line(StrictSchema):
    line_number = fields.Integer(required=True, validate=validate.Range(min=1))
    item_code = text(50)
    description = text(500, required=True)
    quantity = decimal("quantity in `unit`", "12", required=True)
    unit = text(20)


class PricedLine(Line):
    unit_price = money("price of one unit")
    discount = money("discount on the line")
    amount = money("line total")


class Header(StrictSchema):
    receivable_account = text(50, required=True, metadata={"description": "the customer's account it belongs to"})
    issued_on = fields.Date(required=True, metadata={"description": "the document's date: quoted, ordered, "
                                                     "invoiced, statement or shipping date"})
    customer_reference = text(100, metadata={"description": "the customer's own reference, e.g. its PO number"})
    notes = text(2000)


class Priced(Header):
    currency = currency()
    lines = fields.List(fields.Nested(PricedLine), required=True, validate=validate.Length(max=1000))
    subtotal = money("total before tax")
    tax = money("tax")
    total = money("total including tax")


class Quote(Priced):
    status = fields.String(required=True, validate=validate.OneOf(QUOTE_STATUSES), metadata={
        "description": "customers see a quote once it is pending (released to them) and after (seed 003)"})
    valid_until = optional_date("last day the quote holds")
    rfq_id = fields.UUID(load_default=None, allow_none=True,
                         metadata={"description": "the request for quote it answers (QuoteRequested's request_id)"})


class Order(Priced):
    internal_status = text(50, required=True, metadata={"description": "the ERP's own status; never shown to "
                                                                        "customers (seed 003)"})
    customer_status = text(50, metadata={"description": "the status customers see; null shows none"})
    placed_by_user_id = fields.UUID(load_default=None, allow_none=True,
                                    metadata={"description": "the portal user who placed it, if one did (seed 002)"})
    requested_on = optional_date("delivery date the customer asked for")
    due_on = optional_date("current promised date")


class Invoice(Priced):
    status = fields.String(required=True, validate=validate.OneOf(INVOICE_STATUSES))
    due_on = optional_date("payment due date")
    order_numbers = fields.List(text(50, required=True), load_default=list, validate=validate.Length(max=100))
    amount_paid = money("paid so far")
    balance_due = money("still to pay")


class StatementEntry(StrictSchema):
    entry_date = fields.Date(required=True)
    reference = text(50, required=True)
    description = text(200)
    debit = money("charged")
    credit = money("paid or credited")
    balance = money("running balance")


class Aging(StrictSchema):
    current = money("not yet due", required=True)
    days_1_30 = money("1 to 30 days overdue", required=True)
    days_31_60 = money("31 to 60 days overdue", required=True)
    days_61_90 = money("61 to 90 days overdue", required=True)
    over_90 = money("more than 90 days overdue", required=True)


class ArStatement(Header):
    currency = currency()
    period_from = optional_date("first day the statement covers")
    opening_balance = money("balance at period_from")
    closing_balance = money("balance at issued_on", required=True)
    entries = fields.List(fields.Nested(StatementEntry), required=True, validate=validate.Length(max=5000))
    aging = fields.Nested(Aging, load_default=None, allow_none=True)


class PackingSlip(StrictSchema):
    number = text(50, required=True)
    url = fields.Url(load_default=None, allow_none=True, metadata={"description": "where the PDF can be fetched"})


class Shipment(Header):
    status = fields.String(required=True, validate=validate.OneOf(SHIPMENT_STATUSES))
    order_number = text(50)
    carrier = text(100)
    tracking_numbers = fields.List(text(100, required=True), load_default=list, validate=validate.Length(max=100))
    packing_slips = fields.List(fields.Nested(PackingSlip), load_default=list, validate=validate.Length(max=100))
    lines = fields.List(fields.Nested(Line), required=True, validate=validate.Length(max=1000))


# kind -> what a document of that kind holds; the kind's area (seed 002/003) is its plural.
CONTENT = {"quote": Quote, "order": Order, "invoice": Invoice, "ar_statement": ArStatement, "shipment": Shipment}
