"""Events the invitations service publishes on portico.invitations (seed 004).

Three aggregates: a tenant's invitation settings (`settings-<tenant_id>`: username administrators,
how long an invitation is valid, the company name the invited customer sees), one stream per
invitation (`invitation-<invitation_id>`: sent, opened, resent, revoked, expired, accepted) and one
per batch of invitations (`invitation-batch-<batch_id>`: requested, customers skipped, completed).

The link's token never travels in plain text: `token_hash` (SHA-256, hex) lets the identity service
check a registration without calling this service, and `invitation_token` is the token sealed for
the notifications service (eventkit.sealed, context INVITATION_CONTEXT), which builds the e-mail's link.
"""
from marshmallow import fields, validate

from eventkit.addresses import EmailAddress
from eventkit.patterns import FullMatch
from eventkit.sealed import PATTERN as SEALED_PATTERN

from .catalogue import EventContract
from .fields import StrictSchema, emails
from .personal import Personal
from .topics import INVITATIONS

INVITATION_CONTEXT = "portico.invitations.invitation"
MAX_USERNAME_ADMINISTRATORS = 3
ADDRESS_SOURCES = ("customer_default", "given")
SKIP_REASONS = ("no_email_address", "has_username", "archived", "unknown_customer", "invitation_open")


def _text(max_length: int, **kwargs):
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


class Person(StrictSchema):
    """A staff user as their access token named them."""

    user_id = fields.UUID(required=True)
    username = _text(100, required=True)


class InvitationRef(StrictSchema):
    invitation_id = fields.UUID(required=True)
    customer_id = fields.UUID(required=True)


class InvitationEmail(InvitationRef):
    """Everything the invitation e-mail needs, and what identity needs to check its link."""

    customer_code = _text(50, required=True)
    customer_name = _text(200, required=True)
    emails = emails(required=True, metadata={"description": "where the invitation goes"})
    address_source = fields.String(required=True, validate=validate.OneOf(ADDRESS_SOURCES), metadata={
        "description": "customer_default: the accounting system's addresses; given: addresses given for this "
                       "invitation only (the customer's default is unchanged)"})
    company_name = _text(200, required=True, metadata={"description": "the distributor, as the customer knows it"})
    invited_by = fields.Nested(Person, required=True)
    token_hash = fields.String(required=True, validate=FullMatch(r"^[0-9a-f]{64}$"), metadata={
        "description": "SHA-256 (hex) of the link's token: identity checks a registration against it",
        "examples": ["9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"]})
    invitation_token = fields.String(required=True, validate=FullMatch(SEALED_PATTERN), metadata={
        "description": f"the link's token sealed for the notifications service (eventkit.sealed, context "
                       f"'{INVITATION_CONTEXT}'); never plain"})
    expires_at = fields.DateTime(required=True)


class InvitationSent(InvitationEmail):
    batch_id = fields.UUID(required=True)


# v2 (issue 17): an individual customer's name and the addresses its invitation goes to are sealed for the
# customer (customer-<customer_id>); a company's stay in clear, as they are nobody's personal data.
class InvitationEmailV2(InvitationEmail):
    customer_name = Personal(_text(200), required=True)
    emails = Personal(emails(), forgotten=[], required=True, metadata={"description": "where the invitation goes"})


class InvitationSentV2(InvitationEmailV2):
    batch_id = fields.UUID(required=True)


def sealed_since_v2(data: dict) -> dict:
    """v1 held the values in clear; v2 takes clear values as they are, so v1 data is v2 data unchanged."""
    return data


class InvitationRevoked(InvitationRef):
    reason = fields.String(required=True, allow_none=True, validate=validate.Length(max=500))


class InvitationExpired(InvitationRef):
    expired_at = fields.DateTime(required=True)


class InvitationAccepted(InvitationRef):
    user_id = fields.UUID(required=True)
    username = _text(100, required=True)
    username_administrators = emails(required=True, metadata={
        "description": "who reviews and approves the new username (seed 004)"})


class BatchFilter(StrictSchema):
    customer_type = fields.String(required=True, allow_none=True)
    sales_rep = fields.String(required=True, allow_none=True)
    price_list = fields.String(required=True, allow_none=True)
    q = fields.String(required=True, allow_none=True)


class BatchRequested(StrictSchema):
    batch_id = fields.UUID(required=True)
    requested_by = fields.Nested(Person, required=True)
    selection = fields.String(required=True, validate=validate.OneOf(("customers", "filter")))
    filter = fields.Nested(BatchFilter, required=True, allow_none=True)
    customers = fields.Integer(required=True, validate=validate.Range(min=1))


class CustomerSkipped(StrictSchema):
    batch_id = fields.UUID(required=True)
    customer_id = fields.UUID(required=True)
    customer_code = fields.String(required=True, allow_none=True)
    customer_name = fields.String(required=True, allow_none=True)
    reason_code = fields.String(required=True, validate=validate.OneOf(SKIP_REASONS))
    reason = _text(500, required=True)


class CustomerSkippedV2(CustomerSkipped):
    """v2 (issue 17): an individual customer's name sealed for the customer, as in InvitationSent v2."""

    customer_name = Personal(fields.String(allow_none=True), required=True, allow_none=True)


class BatchCompleted(StrictSchema):
    batch_id = fields.UUID(required=True)
    sent = fields.Integer(required=True, validate=validate.Range(min=0))
    skipped = fields.Integer(required=True, validate=validate.Range(min=0))


class UsernameAdministratorsChanged(StrictSchema):
    emails = fields.List(EmailAddress(), required=True,
                         validate=validate.Length(max=MAX_USERNAME_ADMINISTRATORS))


class SettingsChanges(StrictSchema):
    invitation_validity_days = fields.Integer(validate=validate.Range(min=1, max=90))
    company_name = _text(200)


class SettingsChanged(StrictSchema):
    changes = fields.Nested(SettingsChanges, required=True)


def _event(aggregate: str, verb: str, key: str, schema, description: str, version: int = 1,
           upcast=None) -> EventContract:
    return EventContract(type=f"portico.invitations.{aggregate}.{verb}", version=version, owner="invitations",
                         topic=INVITATIONS, key=f"stream id: {key}", schema=schema, description=description,
                         upcast=upcast)


def _invitation(verb: str, schema, description: str, version: int = 1, upcast=None) -> EventContract:
    return _event("invitation", verb, "invitation-<invitation_id>", schema, description, version, upcast)


_SENT = ("An invitation to become a portal user went out to a customer: send the e-mail with its link to `emails`. "
         "Valid until expires_at.")
_RESENT = "The invitation went out again with a new link; the previous link no longer works. Send the e-mail again."
_SEALED_V2 = (" v2: an individual customer's name and addresses (x-portico-personal) are sealed for the customer; a "
              "company's stay in clear.")


def _batch(verb: str, schema, description: str, version: int = 1, upcast=None) -> EventContract:
    return _event("batch", verb, "invitation-batch-<batch_id>", schema, description, version, upcast)


def _settings(verb: str, schema, description: str) -> EventContract:
    return _event("settings", verb, "settings-<tenant_id>", schema, description)


CONTRACTS = [
    _invitation("sent", InvitationSent, _SENT, upcast=sealed_since_v2),
    _invitation("sent", InvitationSentV2, _SENT + _SEALED_V2, version=2),
    _invitation("opened", InvitationRef, "The customer opened the invitation's link (first time per link)."),
    _invitation("resent", InvitationEmail, _RESENT, upcast=sealed_since_v2),
    _invitation("resent", InvitationEmailV2, _RESENT + _SEALED_V2, version=2),
    _invitation("revoked", InvitationRevoked, "Staff withdrew the invitation; its link no longer works."),
    _invitation("expired", InvitationExpired, "The invitation was not accepted in time; its link no longer works."),
    _invitation("accepted", InvitationAccepted, "The customer registered from the invitation (identity's "
                "UserRegistered); the username waits for a username administrator's approval."),
    _batch("requested", BatchRequested, "Staff asked to invite selected customers, or all matching a filter."),
    _batch("customer_skipped", CustomerSkipped, "A customer of the batch got no invitation, and why.",
           upcast=sealed_since_v2),
    _batch("customer_skipped", CustomerSkippedV2, "A customer of the batch got no invitation, and why. v2: an "
           "individual customer's name (x-portico-personal) is sealed for the customer.", version=2),
    _batch("completed", BatchCompleted, "Every customer of the batch was invited or skipped."),
    _settings("username_administrators_changed", UsernameAdministratorsChanged,
              "The tenant's username administrators (up to three e-mail addresses): they review and approve "
              "the usernames invited customers register. The full new list."),
    _settings("changed", SettingsChanged, "Invitation settings changed; `changes` holds only those."),
]
