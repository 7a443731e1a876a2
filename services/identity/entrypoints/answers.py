"""What the identity API answers with, as marshmallow schemas: its OpenAPI document's response bodies.

They reuse the event contracts' field schemas, so an answer and the event behind it describe a
customer with the same fields; tests check real answers against the document.
"""
from __future__ import annotations

from marshmallow import Schema, fields

from contracts.identity import SECOND_FACTOR_POLICIES, ContactFields, CustomerFields

_POSITION = "The position of the events this command wrote in identity's event store; null when nothing changed."


class Contact(ContactFields):
    class Meta:
        exclude = ("customer_id", "code")


class Customer(CustomerFields):
    """A customer as it stands now, with its contacts."""

    status = fields.String(required=True, metadata={"enum": ["active", "archived"]})
    version = fields.Integer(required=True, metadata={"description": "the customer's stream version: send it "
                                                                     "back as expected_version"})
    contacts = fields.List(fields.Nested(Contact), required=True)


class CustomerChanged(Customer):
    position = fields.Integer(allow_none=True, required=True, metadata={"description": _POSITION})


class ContactChanged(Schema):
    customer = fields.Nested(Customer, required=True)
    contact = fields.Nested(Contact, metadata={"description": "the contact added or changed"})
    position = fields.Integer(allow_none=True, required=True, metadata={"description": _POSITION})


class ListedCustomer(CustomerFields):
    """A customer in a list: the read model's columns."""

    class Meta:
        exclude = ("billing_address", "shipping_address")

    status = fields.String(required=True)
    contacts = fields.Integer(required=True, metadata={"description": "how many contacts it has"})
    version = fields.Integer(required=True)


class CustomerPage(Schema):
    items = fields.List(fields.Nested(ListedCustomer), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
    total = fields.Integer(required=True, metadata={"description": "how many match, on every page"})


class FilterValues(Schema):
    customer_type = fields.List(fields.String(), required=True)
    sales_rep = fields.List(fields.String(), required=True)
    price_list = fields.List(fields.String(), required=True)


class HistoryEntry(Schema):
    type = fields.String(required=True, metadata={"description": "the event type, see docs/events.md"})
    version = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True)
    actor = fields.String(required=True)
    correlation_id = fields.UUID(required=True)
    data = fields.Dict(required=True, metadata={"description": "the event's data"})


class HistoryPage(CustomerPage):
    items = fields.List(fields.Nested(HistoryEntry), required=True)


class Settings(Schema):
    allow_personal_account_registration = fields.Boolean(required=True)
    allow_sales_reps_to_create_users = fields.Boolean(required=True)
    bulletin = fields.String(required=True, allow_none=True,
                             metadata={"description": "shown on every portal user's home page; null: none"})
    second_factor_policy = fields.String(required=True, metadata={
        "enum": list(SECOND_FACTOR_POLICIES), "description": "who must log in with a second factor"})
    version = fields.Integer(required=True, metadata={"description": "send it back as expected_version"})


class Bulletin(Schema):
    """Seed 003's bulletin board, as every logged-in user of the tenant reads it."""

    bulletin = fields.String(required=True, allow_none=True, metadata={"description": "plain text; null: none"})
    updated_at = fields.DateTime(required=True, allow_none=True,
                                 metadata={"description": "when staff last set or cleared it; null: never"})


class ImportProblem(Schema):
    row = fields.Integer(allow_none=True, metadata={"description": "the file's row number; null for the file"})
    column = fields.String(allow_none=True)
    message = fields.String(required=True)


class ImportJob(Schema):
    """An import's progress, and once it ended its report (seed 000's import from the accounting system)."""

    job_id = fields.UUID(required=True)
    href = fields.String(required=True, metadata={"description": "where to follow the job"})
    tenant_id = fields.String(required=True)
    actor = fields.String(required=True)
    filename = fields.String(required=True)
    file_format = fields.String(required=True)
    file_size = fields.Integer(allow_none=True)
    dry_run = fields.Boolean(required=True)
    skip_invalid = fields.Boolean(required=True)
    customer_types = fields.List(fields.String(), allow_none=True)
    status = fields.String(required=True, metadata={"description": "queued, running, succeeded, rejected or failed"})
    attempts = fields.Integer(allow_none=True)
    rows_read = fields.Integer(allow_none=True)
    rows_valid = fields.Integer(allow_none=True)
    rows_invalid = fields.Integer(allow_none=True)
    rows_filtered = fields.Integer(allow_none=True)
    rows_written = fields.Integer(allow_none=True)
    events_written = fields.Integer(allow_none=True)
    outcomes = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)
    created_at = fields.DateTime(allow_none=True)
    started_at = fields.DateTime(allow_none=True)
    finished_at = fields.DateTime(allow_none=True)
    problems = fields.List(fields.Nested(ImportProblem), metadata={"description": "the first problems"})
    problems_total = fields.Integer()


class ImportProblems(Schema):
    items = fields.List(fields.Nested(ImportProblem), required=True)
    page = fields.Integer(required=True)
    page_size = fields.Integer(required=True)
