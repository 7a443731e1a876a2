"""Events the notifications service publishes on portico.notifications, keyed by `delivery-<delivery_id>`.

A delivery is one e-mail of one kind to one address because of one event (`event_id`, the cause):
its id is derived from those three, so it is also the e-mail's Message-ID. Each delivery ends with
exactly one of these events. Neither ever holds the e-mail's body: its links carry one-time tokens.
"""
from marshmallow import fields, validate

from .catalogue import EventContract
from .fields import StrictSchema
from .personal import Personal
from .topics import NOTIFICATIONS

KINDS_V1 = ("welcome", "password_reset", "invitation", "registration_received", "username_review", "approved",
            "disabled", "password_changed")
# EmailSent v2 and EmailFailed v3: the notice that a second factor was set up or removed, or a recovery code
# used (issue 19).
KINDS = (*KINDS_V1, "second_factor_changed")
FAILURE_REASONS = ("rejected", "retries_exhausted", "template_error", "link_unreadable")
# v2: every way one e-mail can fail without holding up the others has a reason of its own.
FAILURE_REASONS_V2 = (*FAILURE_REASONS, "address_invalid", "address_unsupported", "unsendable")


class DeliveryFields(StrictSchema):
    delivery_id = fields.UUID(required=True)
    event_id = fields.UUID(required=True, metadata={"description": "the event this e-mail answers"})
    event_type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS_V1))
    recipient = fields.Email(required=True)
    attempts = fields.Integer(required=True, validate=validate.Range(min=1), metadata={
        "description": "SMTP transactions tried, this one included"})


class EmailSent(DeliveryFields):
    message_id = fields.String(required=True, validate=validate.Length(min=3, max=300), metadata={
        "description": "the Message-ID header, the same on every attempt"})
    template = fields.String(required=True, validate=validate.OneOf(("default", "tenant")), metadata={
        "description": "default: the shipped template; tenant: the tenant's own"})


class EmailFailed(DeliveryFields):
    reason = fields.String(required=True, validate=validate.OneOf(FAILURE_REASONS), metadata={
        "description": "rejected: the SMTP server refused it for good (5xx); retries_exhausted: it kept failing "
                       "for a while (4xx, server away); template_error: the template did not render; "
                       "link_unreadable: the sealed link token did not open"})
    smtp_code = fields.Integer(required=True, allow_none=True)
    detail = fields.String(required=True, validate=validate.Length(max=500))


class EmailFailedV2(EmailFailed):
    recipient = fields.String(required=True, validate=validate.Length(min=1, max=320), metadata={
        "description": "the address as it was tried; it may be the reason it failed"})
    reason = fields.String(required=True, validate=validate.OneOf(FAILURE_REASONS_V2), metadata={
        "description": "rejected: the SMTP server refused it for good (5xx); retries_exhausted: it kept failing "
                       "for a while (4xx, server away); template_error: the template did not render with this "
                       "e-mail's data; link_unreadable: the sealed link token did not open; address_invalid: an "
                       "address of it (From, To, Reply-To) is not an e-mail address; address_unsupported: a "
                       "non-ASCII address, and the SMTP server does not offer SMTPUTF8; unsendable: anything else "
                       "that keeps this one e-mail from being built or sent"})


def email_failed_v1_to_v2(data: dict) -> dict:
    return data  # v2 only widens the reasons and the recipient


class EmailSentV2(EmailSent):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


class EmailFailedV3(EmailFailedV2):
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))


def kinds_widened(data: dict) -> dict:
    return data  # the next version only adds a kind


# EmailSent v3 and EmailFailed v4 (issue 17): the recipient, and a failure's detail (an SMTP answer may quote the
# address), are sealed for the person the e-mail went to (user-<id>, customer-<id> of an individual customer);
# an e-mail to nobody's personal address (a company's, the username administrators') stays in clear.
class EmailSentV3(EmailSentV2):
    recipient = Personal(fields.Email(), required=True)


class EmailFailedV4(EmailFailedV3):
    recipient = Personal(fields.String(validate=validate.Length(min=1, max=320)), required=True, metadata={
        "description": "the address as it was tried; it may be the reason it failed"})
    detail = Personal(fields.String(validate=validate.Length(max=500)), required=True)


def sealed_since(data: dict) -> dict:
    return data  # the next version takes clear values as they are: they were written before sealing


_SEALED = (" {v}: the recipient and a failure's detail (x-portico-personal) are sealed for the person the e-mail "
           "went to; an address that is nobody's personal data stays in clear.")


def _delivery_event(verb: str, schema, description: str, version: int = 1, upcast=None) -> EventContract:
    return EventContract(type=f"portico.notifications.email.{verb}", version=version, owner="notifications",
                         topic=NOTIFICATIONS, key="stream id: delivery-<delivery_id>", schema=schema,
                         description=description, upcast=upcast)


CONTRACTS = [
    _delivery_event("sent", EmailSent, "The SMTP server accepted the e-mail for this recipient.",
                    upcast=kinds_widened),
    _delivery_event("sent", EmailSentV2, "The SMTP server accepted the e-mail for this recipient. v2 adds the kind "
                    "second_factor_changed.", version=2, upcast=sealed_since),
    _delivery_event("sent", EmailSentV3, "The SMTP server accepted the e-mail for this recipient."
                    + _SEALED.format(v="v3"), version=3),
    _delivery_event("failed", EmailFailed, "The e-mail could not be delivered to this recipient and will not be "
                    "tried again.", upcast=email_failed_v1_to_v2),
    _delivery_event("failed", EmailFailedV2, "The e-mail could not be delivered to this recipient and will not be "
                    "tried again. v2 adds the reasons address_invalid, address_unsupported and unsendable, and "
                    "takes the recipient as it was tried.", version=2, upcast=kinds_widened),
    _delivery_event("failed", EmailFailedV3, "The e-mail could not be delivered to this recipient and will not be "
                    "tried again. v3 adds the kind second_factor_changed.", version=3, upcast=sealed_since),
    _delivery_event("failed", EmailFailedV4, "The e-mail could not be delivered to this recipient and will not be "
                    "tried again." + _SEALED.format(v="v4"), version=4),
]
