"""Request bodies of the identity API, validated with marshmallow before any handler runs."""
from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, RAISE
from marshmallow.validate import Email

from contracts.fields import Address
from contracts.identity import CUSTOMER_KINDS

_email = Email(error="{input} is not a valid e-mail address.")


class EmailList(fields.Field):
    """E-mail addresses as a JSON list or one string separated by ";" (as accounting systems export them)."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            items = [part.strip() for part in value.split(";")]
            items = [i for i in items if i]
        elif isinstance(value, list) and all(isinstance(i, str) for i in value):
            items = [i.strip() for i in value if i.strip()]
        else:
            raise ValidationError("Give a list of e-mail addresses or one string separated by ';'.")
        if len(items) > 10:
            raise ValidationError("At most 10 e-mail addresses.")
        errors = []
        for item in items:
            try:
                _email(item)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(i.lower() for i in items))

    def _serialize(self, value, attr, obj, **kwargs):
        return value


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(max=max_length), allow_none=True, **kwargs)


class CustomerBody(Schema):
    """A customer as staff or the accounting system describe it."""

    class Meta:
        unknown = RAISE

    kind = fields.String(load_default="company", validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    receivable_account = fields.String(required=True, validate=validate.Length(min=1, max=50))
    customer_type = _text(50, load_default=None)
    sales_rep = _text(50, load_default=None)
    price_list = _text(50, load_default=None)
    emails = EmailList(load_default=list)
    phone = _text(50, load_default=None)
    billing_address = fields.Nested(Address, load_default=None, allow_none=True)
    shipping_address = fields.Nested(Address, load_default=None, allow_none=True)


class NewCustomerBody(CustomerBody):
    code = fields.String(required=True, validate=validate.Length(min=1, max=50))


class CustomerChangesBody(Schema):
    """Some of a customer's fields; `expected_version` guards against lost updates."""

    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    kind = fields.String(validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(validate=validate.Length(min=1, max=200))
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
    email = fields.Email(required=True, error_messages={"invalid": "Not a valid e-mail address."})
    phone = _text(50, load_default=None)
    title = _text(100, load_default=None)


class ContactChangesBody(Schema):
    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))
    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(min=1, max=100))
    email = fields.Email()
    phone = _text(50)
    title = _text(100)


class ExpectedVersionQuery(Schema):
    class Meta:
        unknown = RAISE

    expected_version = fields.Integer(load_default=None, validate=validate.Range(min=1))
