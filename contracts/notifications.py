"""Events the notifications service publishes on portico.notifications, keyed by `delivery-<delivery_id>`.

A delivery is one e-mail of one kind to one address because of one event (`event_id`, the cause):
its id is derived from those three, so it is also the e-mail's Message-ID. Each delivery ends with
exactly one of these events. Neither ever holds the e-mail's body: its links carry one-time tokens.
"""
from marshmallow import fields, validate

from .catalogue import EventContract
from .fields import StrictSchema
from .topics import NOTIFICATIONS

KINDS = ("welcome", "password_reset", "invitation", "registration_received", "username_review", "approved",
         "disabled", "password_changed")
FAILURE_REASONS = ("rejected", "retries_exhausted", "template_error", "link_unreadable")


class DeliveryFields(StrictSchema):
    delivery_id = fields.UUID(required=True)
    event_id = fields.UUID(required=True, metadata={"description": "the event this e-mail answers"})
    event_type = fields.String(required=True, validate=validate.Length(min=1, max=200))
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
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


def _delivery_event(verb: str, schema, description: str) -> EventContract:
    return EventContract(type=f"portico.notifications.email.{verb}", version=1, owner="notifications",
                         topic=NOTIFICATIONS, key="stream id: delivery-<delivery_id>", schema=schema,
                         description=description)


CONTRACTS = [
    _delivery_event("sent", EmailSent, "The SMTP server accepted the e-mail for this recipient."),
    _delivery_event("failed", EmailFailed, "The e-mail could not be delivered to this recipient and will not be "
                    "tried again."),
]
