"""Request and answer bodies of the invitations API (marshmallow; unknown fields are refused)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from contracts.invitations import MAX_USERNAME_ADMINISTRATORS
from eventkit.consistency import ReadAfterQuery
from eventkit.header_text import OneLine

from ..service_layer.queries import HAPPENINGS


class Body(Schema):
    class Meta:
        unknown = RAISE


def _emails(**kwargs):
    return fields.List(fields.Email(), validate=validate.Length(min=1, max=10), **kwargs)


class AdministratorsBody(Body):
    emails = fields.List(fields.Email(), required=True, validate=validate.Length(max=MAX_USERNAME_ADMINISTRATORS),
                         metadata={"description": "up to three; [] removes them all (and stops invitations)"})


class SettingsBody(Body):
    invitation_validity_days = fields.Integer(validate=validate.Range(min=1, max=90))
    company_name = fields.String(validate=[validate.Length(min=1, max=200), OneLine()])  # e-mail From and subjects


class FilterBody(Body):
    customer_type = fields.String(load_default=None, validate=validate.Length(max=50))
    sales_rep = fields.String(load_default=None, validate=validate.Length(max=50))
    price_list = fields.String(load_default=None, validate=validate.Length(max=50))
    q = fields.String(load_default=None, validate=validate.Length(max=100))


class InviteBody(Body):
    """Customers by id, or every candidate matching a filter; addresses for this invitation only."""

    customer_ids = fields.List(fields.UUID(), validate=validate.Length(min=1, max=1000), metadata={
        "description": "the customers ticked one by one; for more, send the filter"})
    filter = fields.Nested(FilterBody, metadata={"description": "select all filtered customers"})
    addresses = fields.Dict(keys=fields.UUID(), values=_emails(), load_default=dict,
                            validate=validate.Length(max=1000), metadata={
                                "description": "customer id -> the addresses this invitation goes to instead of "
                                               "the customer's default ones (which stay as they are)"})

    @validates_schema
    def _one_selection(self, data, **kwargs):
        if ("customer_ids" in data) == ("filter" in data):
            raise ValidationError("Give either customer_ids or filter.", "customer_ids")


class ResendBody(Body):
    emails = _emails(load_default=None, metadata={"description": "new addresses; default: the last ones"})


class RevokeBody(Body):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class OpenLinkBody(Body):
    token = fields.String(required=True, validate=validate.Length(min=20, max=200), metadata={
        "description": "the token of the invitation link (sent in the body: URLs end up in logs)"})


class PageQuery(ReadAfterQuery):
    class Meta:
        unknown = RAISE

    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class HistoryQuery(PageQuery):
    happened = fields.String(load_default=None, validate=validate.OneOf(HAPPENINGS))
    customer_id = fields.UUID(load_default=None)


class CompanyAnswer(Schema):
    company_name = fields.String(required=True, allow_none=True,
                                 metadata={"description": "null until staff set it in the invitation settings"})


class SettingsAnswer(Schema):
    username_administrators = fields.List(fields.Email())
    invitation_validity_days = fields.Integer()
    company_name = fields.String(allow_none=True)
    version = fields.Integer()


class BatchAnswer(Schema):
    batch_id = fields.UUID()
    state = fields.String(metadata={"description": "queued, running or done"})
    customers = fields.Integer()


class BatchProgress(Schema):
    batch_id = fields.UUID()
    state = fields.String()
    total = fields.Integer()
    sent = fields.Integer()
    skipped = fields.Integer()
    done = fields.Integer()
    requested_by = fields.Dict()
    requested_at = fields.DateTime()
    finished_at = fields.DateTime(allow_none=True)


class LinkAnswer(Schema):
    invitation_id = fields.UUID()
    company_name = fields.String()
    customer_name = fields.String()
    customer_code = fields.String()
    invited_by = fields.String()
    emails = fields.List(fields.Email())
    expires_at = fields.DateTime()


class Listing(Schema):
    items = fields.List(fields.Dict())
    page = fields.Integer()
    page_size = fields.Integer()
    total = fields.Integer()
