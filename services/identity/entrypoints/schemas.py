"""Request bodies of the identity API, validated with marshmallow before any handler runs."""
from __future__ import annotations

import re

from marshmallow import Schema, fields, validate, RAISE
from werkzeug.routing import BaseConverter

from contracts.fields import Address
from eventkit.addresses import EmailAddress
from eventkit.consistency import ReadAfterQuery
from eventkit.header_text import OneLine
from eventkit.patterns import FullMatch
from contracts.identity import CUSTOMER_KINDS

from ..domain.emails import EmailList

class JsonBoolean(fields.Boolean):
    """JSON true or false only: marshmallow's Boolean also takes "no", 0 and 1, which the document refuses."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(max=max_length), allow_none=True, **kwargs)


class CustomerBody(Schema):
    """A customer as staff or the accounting system describe it."""

    class Meta:
        unknown = RAISE

    kind = fields.String(load_default="company", validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), OneLine()])  # e-mail subjects
    receivable_account = fields.String(required=True, validate=validate.Length(min=1, max=50))
    customer_type = _text(50, load_default=None)
    sales_rep = _text(50, load_default=None)
    price_list = _text(50, load_default=None)
    emails = EmailList(load_default=list)
    phone = _text(50, load_default=None)
    billing_address = fields.Nested(Address, load_default=None, allow_none=True)
    shipping_address = fields.Nested(Address, load_default=None, allow_none=True)


# The accounting system's code: it names the customer in URLs, headers and files, so no control characters,
# and none of the words the customers' URLs use for something else (/customers/filter-values).
NOT_CUSTOMER_CODES = ("filter-values",)
CUSTOMER_CODE = [validate.Length(min=1, max=50),
                 FullMatch(r"^[^\x00-\x1f\x7f]*$", error="must not contain control characters"),
                 validate.NoneOf(NOT_CUSTOMER_CODES,
                                 error="This code is a word the portal keeps for itself: choose another code.")]


class CustomerCodeConverter(BaseConverter):
    """`<customer_code:code>` in a route: any segment but the words of NOT_CUSTOMER_CODES, so that
    PUT /customers/filter-values is a 405 naming the methods that URL has, not a customer's sync."""
    regex = "".join(f"(?!{re.escape(word)}$)" for word in NOT_CUSTOMER_CODES) + "[^/]+"


class NewCustomerBody(CustomerBody):
    code = fields.String(required=True, validate=CUSTOMER_CODE)


class CustomerCodePath(Schema):
    """The code in a sync URL (PUT /customers/<code>) creates the customer: it is checked like a body's."""
    code = fields.String(required=True, validate=CUSTOMER_CODE)


class CustomerChangesBody(Schema):
    """Some of a customer's fields; `expected_version` guards against lost updates."""

    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    kind = fields.String(validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(validate=[validate.Length(min=1, max=200), OneLine()])
    receivable_account = fields.String(validate=validate.Length(min=1, max=50))
    customer_type = _text(50)
    sales_rep = _text(50)
    price_list = _text(50)
    emails = EmailList()
    phone = _text(50)
    billing_address = fields.Nested(Address, allow_none=True)
    shipping_address = fields.Nested(Address, allow_none=True)


class ArchiveBody(Schema):
    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    reason = _text(500, load_default=None)


class ContactBody(Schema):
    """A contact person of a company (seed 002's CRM person)."""

    class Meta:
        unknown = RAISE

    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = EmailAddress(required=True, error_messages={"invalid": "Not a valid e-mail address."})
    phone = _text(50, load_default=None)
    title = _text(100, load_default=None)


class ContactChangesBody(Schema):
    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(min=1, max=100))
    email = EmailAddress()
    phone = _text(50)
    title = _text(100)


class ExpectedVersionQuery(Schema):
    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))


class CustomerQuery(ReadAfterQuery):
    """Search and filters for the customer list."""

    class Meta:
        unknown = RAISE

    q = fields.String(load_default=None, validate=validate.Length(max=100))
    kind = fields.String(load_default=None, validate=validate.OneOf(CUSTOMER_KINDS))
    customer_type = fields.String(load_default=None, validate=validate.Length(max=50))
    sales_rep = fields.String(load_default=None, validate=validate.Length(max=50))
    price_list = fields.String(load_default=None, validate=validate.Length(max=50))
    status = fields.String(load_default=None, validate=validate.OneOf(("active", "archived")))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class PageQuery(ReadAfterQuery):
    class Meta:
        unknown = RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))
