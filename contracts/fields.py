"""Field types shared by several events' schemas."""
from marshmallow import Schema, fields, validate, RAISE
from eventkit.addresses import EmailAddress


class StrictSchema(Schema):
    """Unknown fields are an error: a consumer must never guess what an extra field means."""

    class Meta:
        unknown = RAISE


class Address(StrictSchema):
    line1 = fields.String(required=True, validate=validate.Length(min=1, max=200))
    line2 = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    city = fields.String(required=True, validate=validate.Length(min=1, max=100))
    region = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))
    postal_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20))
    country = fields.String(required=True, validate=validate.Length(equal=2),
                            metadata={"description": "ISO 3166-1 alpha-2 country code"})


def emails(**kwargs):
    return fields.List(EmailAddress(), validate=validate.Length(max=10), **kwargs)
