"""Events the identity service publishes on portico.identity, keyed by the aggregate's stream id.

Contacts travel in their company's stream (customer-<customer_id>): a consumer never sees a contact
before its company, and "contacts only for companies, not for archived customers" is decided against
one consistent stream version. B2B companies have a handful of contacts, so the stream stays short.
"""
from marshmallow import fields, validate

from eventkit.addresses import EmailAddress
from eventkit.patterns import FullMatch

from .catalogue import EventContract
from .fields import Address, StrictSchema, emails
from .personal import Personal
from .topics import IDENTITY

CUSTOMER_KINDS = ("company", "individual")


class CustomerFields(StrictSchema):
    """Everything the accounting system and staff say about a customer."""

    customer_id = fields.UUID(required=True)
    code = fields.String(required=True, validate=validate.Length(min=1, max=50),
                         metadata={"description": "the accounting system's customer code, unique per tenant"})
    kind = fields.String(required=True, validate=validate.OneOf(CUSTOMER_KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    receivable_account = fields.String(required=True, validate=validate.Length(min=1, max=50))
    customer_type = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    sales_rep = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    price_list = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    emails = emails(required=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    billing_address = fields.Nested(Address, load_default=None, allow_none=True)
    shipping_address = fields.Nested(Address, load_default=None, allow_none=True)


class CustomerChanges(StrictSchema):
    """Only the fields that changed, with their new values."""

    name = fields.String(validate=validate.Length(min=1, max=200))
    kind = fields.String(validate=validate.OneOf(CUSTOMER_KINDS))
    receivable_account = fields.String(validate=validate.Length(min=1, max=50))
    customer_type = fields.String(allow_none=True, validate=validate.Length(max=50))
    sales_rep = fields.String(allow_none=True, validate=validate.Length(max=50))
    price_list = fields.String(allow_none=True, validate=validate.Length(max=50))
    emails = emails()
    phone = fields.String(allow_none=True, validate=validate.Length(max=50))
    billing_address = fields.Nested(Address, allow_none=True)
    shipping_address = fields.Nested(Address, allow_none=True)


class CustomerUpdated(StrictSchema):
    customer_id = fields.UUID(required=True)
    code = fields.String(required=True)
    changes = fields.Nested(CustomerChanges, required=True)


class CustomerArchived(StrictSchema):
    customer_id = fields.UUID(required=True)
    code = fields.String(required=True)
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))


class ContactFields(StrictSchema):
    """A contact person (a CRM person, seed 002) who works for a company customer."""

    customer_id = fields.UUID(required=True)
    code = fields.String(required=True, metadata={"description": "the company's customer code"})
    contact_id = fields.UUID(required=True)
    first_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    last_name = fields.String(required=True, validate=validate.Length(min=1, max=100))
    email = EmailAddress(required=True)
    phone = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=50))
    title = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=100))


class ContactChanges(StrictSchema):
    first_name = fields.String(validate=validate.Length(min=1, max=100))
    last_name = fields.String(validate=validate.Length(min=1, max=100))
    email = EmailAddress()
    phone = fields.String(allow_none=True, validate=validate.Length(max=50))
    title = fields.String(allow_none=True, validate=validate.Length(max=100))


class ContactUpdated(StrictSchema):
    customer_id = fields.UUID(required=True)
    code = fields.String(required=True)
    contact_id = fields.UUID(required=True)
    changes = fields.Nested(ContactChanges, required=True)


class ContactRemoved(StrictSchema):
    customer_id = fields.UUID(required=True)
    code = fields.String(required=True)
    contact_id = fields.UUID(required=True)


class SettingsChanges(StrictSchema):
    """Only the settings that changed, with their new values."""

    allow_personal_account_registration = fields.Boolean(
        metadata={"description": "self-registration may make an individual account; off: a business name is required"})
    allow_sales_reps_to_create_users = fields.Boolean(
        metadata={"description": "sales reps may create portal users for their own customers"})


class SettingsChanged(StrictSchema):
    changes = fields.Nested(SettingsChanges, required=True)


BULLETIN_MAX_LENGTH = 2000
# Plain text: any character but the control ones, except tab and line breaks (PostgreSQL's jsonb
# refuses NUL, and a portal page cannot show the others).
PLAIN_TEXT_PATTERN = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


def bulletin(**kwargs):
    """Seed 003's bulletin board: the welcome message on every portal user's home page."""
    return fields.String(allow_none=True, validate=[
        validate.Length(min=1, max=BULLETIN_MAX_LENGTH),
        FullMatch(PLAIN_TEXT_PATTERN, error="Plain text only: no control characters but tabs and line breaks."),
    ], metadata={"description": "plain text shown on every portal user's home page; null: cleared",
                 "examples": ["Welcome to the Acme Tools portal! Orders placed by 2 pm ship the same day."]},
        **kwargs)


class SettingsChangesV2(SettingsChanges):
    """v1's settings and the portal bulletin."""

    bulletin = bulletin()


class SettingsChangedV2(StrictSchema):
    changes = fields.Nested(SettingsChangesV2, required=True)


def settings_changed_v1_to_v2(data: dict) -> dict:
    """v1 could not carry a bulletin, so its changes are v2 changes that leave the bulletin as it was."""
    return data


SECOND_FACTOR_POLICIES = ("optional", "required_for_staff", "required_for_everyone")


class SettingsChangesV3(SettingsChangesV2):
    """v2's settings and who must log in with a second factor."""

    second_factor_policy = fields.String(validate=validate.OneOf(SECOND_FACTOR_POLICIES), metadata={
        "description": "optional: users may add one; required_for_staff: staff users must have one; "
                       "required_for_everyone: every user must. Who has none sets one up at their next login."})


class SettingsChangedV3(StrictSchema):
    changes = fields.Nested(SettingsChangesV3, required=True)


def settings_changed_v2_to_v3(data: dict) -> dict:
    """v2 could not change the second-factor policy, so its changes are v3 changes that leave it as it was."""
    return data


# v2 of the events that carry a person's values (issue 17): each such field is Personal, sealed for its
# person (an individual customer, a contact) since v2; a company's values stay in clear.
def _name(**kwargs):
    return Personal(fields.String(validate=validate.Length(min=1, max=200)), **kwargs)


def _phone(**kwargs):
    return Personal(fields.String(allow_none=True, validate=validate.Length(max=50)), allow_none=True, **kwargs)


def _address(**kwargs):
    return Personal(fields.Nested(Address, allow_none=True), forgotten=None, allow_none=True, **kwargs)


def _emails(**kwargs):
    return Personal(emails(), forgotten=[], **kwargs)


class CustomerFieldsV2(CustomerFields):
    """v1's fields; an individual customer's name, e-mails, phone and addresses sealed for it."""

    name = _name(required=True)
    emails = _emails(required=True)
    phone = _phone(load_default=None)
    billing_address = _address(load_default=None)
    shipping_address = _address(load_default=None)


class CustomerChangesV2(CustomerChanges):
    name = _name()
    emails = _emails()
    phone = _phone()
    billing_address = _address()
    shipping_address = _address()


class CustomerUpdatedV2(CustomerUpdated):
    changes = fields.Nested(CustomerChangesV2, required=True)


class ContactFieldsV2(ContactFields):
    """v1's fields; the contact's names, e-mail address and phone sealed for the contact."""

    first_name = Personal(fields.String(validate=validate.Length(min=1, max=100)), required=True)
    last_name = Personal(fields.String(validate=validate.Length(min=1, max=100)), required=True)
    email = Personal(EmailAddress(), required=True)
    phone = _phone(load_default=None)


class ContactChangesV2(ContactChanges):
    first_name = Personal(fields.String(validate=validate.Length(min=1, max=100)))
    last_name = Personal(fields.String(validate=validate.Length(min=1, max=100)))
    email = Personal(EmailAddress())
    phone = _phone()


class ContactUpdatedV2(ContactUpdated):
    changes = fields.Nested(ContactChangesV2, required=True)


class SubjectForgotten(StrictSchema):
    subject = fields.String(required=True, validate=validate.Regexp(
        r"^(contact|user|customer)-[0-9a-f-]{36}$"), metadata={
            "description": "the person forgotten: contact-<id>, user-<id> or customer-<id> (an individual customer)",
            "examples": ["contact-8a4f2c1e-5b7d-4e9a-9c3f-1d2e3f4a5b6c"]})
    subject_kind = fields.String(required=True, validate=validate.OneOf(("contact", "user", "customer")))
    subject_id = fields.UUID(required=True)
    customer_id = fields.UUID(required=True, allow_none=True, metadata={
        "description": "the customer the person belongs to (a contact's company, a user's customer)"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))
    forgotten_by = fields.String(required=True, validate=validate.Length(min=1, max=100))


def sealed_since_v2(data: dict) -> dict:
    """v1 held every value in clear; v2 takes clear values as they are, so v1 data is v2 data unchanged.
    Forgetting still covers them: the subject's forgotten event follows in the same stream."""
    return data


def _customer_event(type_: str, schema, description: str, version: int = 1, upcast=None) -> EventContract:
    return EventContract(type=type_, version=version, owner="identity", topic=IDENTITY,
                         key="stream id: customer-<customer_id>", schema=schema, description=description,
                         upcast=upcast)


_SEALED_V2 = (" v2: personal fields (x-portico-personal) are sealed for their person (an individual customer, a "
              "contact); a company's stay in clear.")


CONTRACTS = [
    _customer_event("portico.identity.customer.created", CustomerFields,
                    "Staff entered a new customer by hand.", upcast=sealed_since_v2),
    _customer_event("portico.identity.customer.created", CustomerFieldsV2,
                    "Staff entered a new customer by hand." + _SEALED_V2, version=2),
    _customer_event("portico.identity.customer.imported", CustomerFields,
                    "A customer arrived from the accounting system (file import or sync) for the first time.",
                    upcast=sealed_since_v2),
    _customer_event("portico.identity.customer.imported", CustomerFieldsV2,
                    "A customer arrived from the accounting system (file import or sync) for the first time."
                    + _SEALED_V2, version=2),
    _customer_event("portico.identity.customer.updated", CustomerUpdated,
                    "Some of a customer's fields changed; `changes` holds only those, with their new values.",
                    upcast=sealed_since_v2),
    _customer_event("portico.identity.customer.updated", CustomerUpdatedV2,
                    "Some of a customer's fields changed; `changes` holds only those, with their new values."
                    + _SEALED_V2, version=2),
    _customer_event("portico.identity.customer.archived", CustomerArchived,
                    "The customer was archived: no new portal users or invitations for it."),
    _customer_event("portico.identity.customer.contact_added", ContactFields,
                    "A contact person was added to a company customer.", upcast=sealed_since_v2),
    _customer_event("portico.identity.customer.contact_added", ContactFieldsV2,
                    "A contact person was added to a company customer." + _SEALED_V2, version=2),
    _customer_event("portico.identity.customer.contact_updated", ContactUpdated,
                    "Some of a contact's fields changed; `changes` holds only those, with their new values.",
                    upcast=sealed_since_v2),
    _customer_event("portico.identity.customer.contact_updated", ContactUpdatedV2,
                    "Some of a contact's fields changed; `changes` holds only those, with their new values."
                    + _SEALED_V2, version=2),
    _customer_event("portico.identity.customer.contact_removed", ContactRemoved,
                    "A contact person no longer works for the company."),
    EventContract(type="portico.identity.subject.forgotten", version=1, owner="identity", topic=IDENTITY,
                  key="stream id: the person's own stream (customer-<customer_id> for a contact or an individual "
                      "customer, user-<user_id> for a portal user), so it follows every event holding their values",
                  schema=SubjectForgotten,
                  description="A system administrator erased a person (GDPR article 17): their key is deleted, so "
                              "their sealed values open to nothing any more; replace whatever you kept of them."),
    EventContract(type="portico.identity.tenant.settings_changed", version=1, owner="identity", topic=IDENTITY,
                  key="stream id: settings-<tenant_id>", schema=SettingsChanged,
                  description="A tenant's administrator changed settings; `changes` holds only those.",
                  upcast=settings_changed_v1_to_v2),
    EventContract(type="portico.identity.tenant.settings_changed", version=2, owner="identity", topic=IDENTITY,
                  key="stream id: settings-<tenant_id>", schema=SettingsChangedV2,
                  description="A tenant's staff changed settings; `changes` holds only those. v2 adds the portal "
                              "bulletin (seed 003): a string when set, null when cleared, absent when unchanged.",
                  upcast=settings_changed_v2_to_v3),
    EventContract(type="portico.identity.tenant.settings_changed", version=3, owner="identity", topic=IDENTITY,
                  key="stream id: settings-<tenant_id>", schema=SettingsChangedV3,
                  description="A tenant's staff changed settings; `changes` holds only those. v3 adds "
                              "second_factor_policy: who must log in with a second factor."),
]
