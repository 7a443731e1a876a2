"""Request bodies of the user, staff, registration and login endpoints (marshmallow, unknown fields refused)."""
from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from contracts.identity_users import STAFF_ROLES
from eventkit.consistency import ReadAfterQuery
from eventkit.header_text import OneLine

from ..domain import areas
from .schemas import EmailList, JsonBoolean


class Body(Schema):
    class Meta:
        unknown = RAISE


def _flag(**kwargs):
    return JsonBoolean(**kwargs)


def _secret(**kwargs):
    # Length is the password policy's business; this bound only keeps hashing cheap to refuse.
    return fields.String(validate=validate.Length(min=1, max=1024), **kwargs)


class Areas(fields.Field):
    """Access areas by name: Quotes, Orders, Invoices, A/R Statements, Shipments, or ALL."""

    openapi = {"type": "array", "items": {"type": "string"},
               "description": "Quotes, Orders, Invoices, A/R Statements, Shipments or ALL (any case)"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError("Give a list of area names.")
        chosen, unknown = areas.parse(value)
        if unknown:
            raise ValidationError(f"Unknown areas {unknown}: use Quotes, Orders, Invoices, A/R Statements, "
                                  "Shipments or ALL.")
        return chosen


class NewPortalUserBody(Body):
    customer_code = fields.String(required=True, validate=validate.Length(min=1, max=50))
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    contact_id = fields.UUID(load_default=None, allow_none=True)
    receivable_account = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=50))
    emails = EmailList(load_default=list)
    areas = Areas(load_default=frozenset)
    own_orders_only = _flag(load_default=False)
    send_welcome_email = _flag(load_default=True)
    initial_password = _secret(load_default=None, allow_none=True)
    with_staff_user = _flag(load_default=False, metadata={"description": "also create the 'S' staff user (no costs or balances)"})


class PortalUserQuery(ReadAfterQuery):
    """Search for the tenant-wide list of portal usernames."""

    class Meta:
        unknown = RAISE

    q = fields.String(load_default=None, validate=validate.Length(max=100), metadata={
        "description": "part of the username, the person's name, an e-mail, or the customer's name or code"})
    customer_code = fields.String(load_default=None, validate=validate.Length(max=50))
    status = fields.String(load_default=None, validate=validate.OneOf(("pending", "active", "disabled", "deleted")),
                           metadata={"description": "left out: every status but deleted"})
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100_000))
    page_size = fields.Integer(load_default=50, validate=validate.Range(min=1, max=500))


class NameQuery(Body):
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))


class AccessBody(Body):
    areas = Areas()
    own_orders_only = _flag()


class ReasonBody(Body):
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class RegistrationBody(Body):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = _secret(required=True)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    emails = EmailList(required=True, validate=validate.Length(min=1))
    business_name = fields.String(load_default=None, allow_none=True,  # the customer's name: e-mail subjects
                                  validate=[validate.Length(min=1, max=200), OneLine()])
    customer_code = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=50))
    invitation_token = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=20, max=200),
                                     metadata={"description": "the token of an invitation's link: the "
                                                              "invitation names the customer"})


class NewStaffUserBody(Body):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    emails = EmailList(load_default=list)
    roles = fields.List(fields.String(validate=validate.OneOf(STAFF_ROLES)), required=True)
    sales_rep = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=50))
    initial_password = _secret(load_default=None, allow_none=True)


class StaffRolesBody(Body):
    roles = fields.List(fields.String(validate=validate.OneOf(STAFF_ROLES)), required=True)
    sales_rep = fields.String(load_default=None, allow_none=True, validate=validate.Length(min=1, max=50))


class LoginBody(Body):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))
    password = _secret(required=True)


class ChangePasswordBody(LoginBody):
    new_password = _secret(required=True)


class RefreshBody(Body):
    refresh_token = fields.String(required=True, validate=validate.Length(min=1, max=200))


class ForgotPasswordBody(Body):
    username = fields.String(required=True, validate=validate.Length(min=1, max=100))


class SetPasswordBody(Body):
    token = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = _secret(required=True)
