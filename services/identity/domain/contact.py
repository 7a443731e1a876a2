"""Contacts: the people (CRM persons, seed 002) who work for a company customer.

They live inside the customer aggregate (see contracts/identity.py for why), so every decision
here takes the customer as the stream says it is now.
"""
from __future__ import annotations

import uuid
from typing import Any

from eventkit.envelope import NewEvent

from .customer import CONTACT_ADDED, CONTACT_FIELDS, CONTACT_REMOVED, CONTACT_UPDATED, Customer
from .errors import (ContactEmailTaken, ContactNotFound, ContactsOnlyForCompanies, CustomerArchived,
                     CustomerNotFound)


def contact_id_for(customer_id: uuid.UUID, email: str) -> uuid.UUID:
    """A contact first added with this e-mail gets the same id on every retry or re-import."""
    return uuid.uuid5(customer_id, email.lower())


def _writable(customer: Customer | None, code: str) -> Customer:
    if customer is None:
        raise CustomerNotFound(code)
    if customer.archived:
        raise CustomerArchived(code)
    if customer.kind != "company":
        raise ContactsOnlyForCompanies(code)
    return customer


def _identity(customer: Customer, contact_id: Any) -> dict:
    return {"customer_id": str(customer.customer_id), "code": customer.code, "contact_id": str(contact_id)}


def add(customer: Customer | None, code: str, fields: dict[str, Any]) -> NewEvent:
    """Decide the event that adds a contact; its e-mail must be new among the company's contacts."""
    customer = _writable(customer, code)
    email = fields["email"].lower()
    if customer.contact_by_email(email):
        raise ContactEmailTaken(code, email)
    data = {k: fields.get(k) for k in CONTACT_FIELDS}
    data["email"] = email
    return NewEvent(CONTACT_ADDED, 1, {**_identity(customer, contact_id_for(customer.customer_id, email)), **data})


def update(customer: Customer | None, code: str, contact_id: str, fields: dict[str, Any]) -> list[NewEvent]:
    """Decide the update for the contact's fields that really changed; none when nothing did."""
    if customer is None:
        raise CustomerNotFound(code)
    contact = customer.contacts.get(contact_id)
    if contact is None:
        raise ContactNotFound(code, contact_id)
    if "email" in fields:
        fields = {**fields, "email": fields["email"].lower()}
    changed = {k: v for k, v in fields.items() if k in CONTACT_FIELDS and contact.get(k) != v}
    if not changed:
        return []
    _writable(customer, code)
    other = customer.contact_by_email(changed.get("email", ""))
    if other is not None and other["contact_id"] != contact_id:
        raise ContactEmailTaken(code, changed["email"])
    return [NewEvent(CONTACT_UPDATED, 1, {**_identity(customer, contact_id), "changes": changed})]


def remove(customer: Customer | None, code: str, contact_id: str) -> list[NewEvent]:
    """Decide the removal; removing a contact that is gone already changes nothing."""
    if customer is None:
        raise CustomerNotFound(code)
    if contact_id not in customer.contacts:
        return []
    return [NewEvent(CONTACT_REMOVED, 1, _identity(customer, contact_id))]
