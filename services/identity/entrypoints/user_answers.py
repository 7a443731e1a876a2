"""What the user, staff, registration and login endpoints answer with: their OpenAPI response bodies."""
from __future__ import annotations

from marshmallow import Schema, fields

_PORTAL = "portal users only"
_STAFF = "staff users only"


class User(Schema):
    """A portal or staff user as it stands now; never a password or a token."""

    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    user_type = fields.String(required=True, metadata={"enum": ["portal", "staff"]})
    status = fields.String(required=True, metadata={"description": "pending approval, active, disabled or deleted"})
    password_set = fields.Boolean(required=True)
    second_factors = fields.List(fields.String(), required=True, metadata={
        "description": "the second factors it logs in with: totp (an authenticator app), passkey"})
    version = fields.Integer(required=True)
    kind = fields.String(allow_none=True, metadata={"description": _PORTAL})
    customer_id = fields.UUID(allow_none=True, metadata={"description": _PORTAL})
    customer_code = fields.String(allow_none=True, metadata={"description": _PORTAL})
    contact_id = fields.UUID(allow_none=True, metadata={"description": _PORTAL})
    receivable_account = fields.String(allow_none=True, metadata={"description": _PORTAL})
    own_orders_only = fields.Boolean(allow_none=True, metadata={"description": _PORTAL})
    areas = fields.List(fields.String(), metadata={"description": _PORTAL})
    emails = fields.List(fields.String(), allow_none=True)
    name = fields.String(allow_none=True, metadata={"description": _STAFF})
    roles = fields.List(fields.String(), metadata={"description": _STAFF})
    sales_rep = fields.String(allow_none=True, metadata={"description": _STAFF})


class CreatedUsers(User):
    staff_user = fields.Nested(User, allow_none=True, metadata={"description": "the staff user of a "
                                                                               "management and staff pair"})


class ListedUser(Schema):
    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    user_type = fields.String(required=True)
    kind = fields.String(allow_none=True)
    customer_id = fields.UUID(allow_none=True)
    status = fields.String(required=True)


class UserList(Schema):
    items = fields.List(fields.Nested(ListedUser), required=True)


class FoundPortalUser(Schema):
    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    kind = fields.String(allow_none=True)
    status = fields.String(required=True)
    person_name = fields.String(allow_none=True, metadata={"description": "the registrant's or linked contact's name"})
    emails = fields.List(fields.String(), required=True)
    customer_id = fields.UUID(allow_none=True)
    customer_code = fields.String(allow_none=True)
    customer_name = fields.String(allow_none=True)
    customer_billed = fields.Integer(required=True, metadata={"description": "the customer's usernames billed for"})
    created_at = fields.DateTime(required=True)


class PortalUserPage(Schema):
    items = fields.List(fields.Nested(FoundPortalUser), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "how many match, on every page"})
    billed_total = fields.Integer(required=True, metadata={
        "description": "the tenant's portal usernames billed for: approved or not, deleted excluded"})


class CustomerUsername(Schema):
    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    kind = fields.String(allow_none=True)
    status = fields.String(required=True)


class CustomerUsernames(Schema):
    count = fields.Integer(required=True, metadata={"description": "the usernames billed for"})
    items = fields.List(fields.Nested(CustomerUsername), required=True)


class Tokens(Schema):
    """The OAuth 2.0 token response (RFC 6749 section 5.1), with the user."""

    access_token = fields.String(required=True, metadata={"description": "a JWT signed with EdDSA; see the JWKS"})
    token_type = fields.String(required=True, metadata={"enum": ["Bearer"]})
    expires_in = fields.Integer(required=True, metadata={"description": "seconds"})
    refresh_token = fields.String(required=True, metadata={"description": "single use: each refresh rotates it"})
    user = fields.Nested(User, required=True)


class Me(Schema):
    user_id = fields.String(required=True)
    username = fields.String(required=True)
    user_type = fields.String(required=True)
    staff_roles = fields.List(fields.String(), required=True)
    sales_rep = fields.String(allow_none=True)
    customer_id = fields.String(allow_none=True)


class Jwks(Schema):
    keys = fields.List(fields.Dict(), required=True, metadata={"description": "JSON Web Keys (RFC 7517)"})


class Registration(Schema):
    """A registration waiting for approval; it names no customer, so it tells nothing about which exist."""

    user_id = fields.UUID(required=True)
    username = fields.String(required=True)
    user_type = fields.String(required=True, metadata={"enum": ["portal"]})
    status = fields.String(required=True, metadata={"enum": ["pending"]})
    detail = fields.String(required=True)


class Accepted(Schema):
    detail = fields.String(required=True)


class PasswordRules(Schema):
    """What a new password must be, in words to show beside the field before anyone types."""

    min_length = fields.Integer(required=True)
    max_length = fields.Integer(required=True)
    rules = fields.List(fields.String(), required=True)


class SuggestedUsername(Schema):
    username = fields.String(required=True, metadata={"description": "free in the tenant right now"})
