"""The customer aggregate: a company or an individual account from the accounting system."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable

from eventkit.envelope import NewEvent, StoredEvent

from .errors import CustomerArchived, CustomerNotFound, DuplicateCustomerCode, IndividualWithContacts

CREATED = "portico.identity.customer.created"
IMPORTED = "portico.identity.customer.imported"
UPDATED = "portico.identity.customer.updated"
ARCHIVED = "portico.identity.customer.archived"
CONTACT_ADDED = "portico.identity.customer.contact_added"
CONTACT_UPDATED = "portico.identity.customer.contact_updated"
CONTACT_REMOVED = "portico.identity.customer.contact_removed"

# The fields a customer event carries besides its identity (customer_id, code).
FIELDS = ("kind", "name", "receivable_account", "customer_type", "sales_rep", "price_list", "emails",
          "phone", "billing_address", "shipping_address")
CONTACT_FIELDS = ("first_name", "last_name", "email", "phone", "title")
_NAMESPACE = uuid.UUID("5b1f4c3e-2f0a-4c61-9d0e-6c1b0f4f7a10")


def customer_id_for(tenant_id: str, code: str) -> uuid.UUID:
    """The same accounting code in the same tenant always names the same customer."""
    return uuid.uuid5(_NAMESPACE, f"{tenant_id}\x1f{code}")


def stream_id(customer_id: uuid.UUID) -> str:
    return f"customer-{customer_id}"


@dataclass
class Customer:
    customer_id: uuid.UUID
    code: str
    fields: dict[str, Any] = field(default_factory=dict)
    archived: bool = False
    version: int = 0
    contacts: dict[str, dict[str, Any]] = field(default_factory=dict)  # contact_id -> its fields

    @classmethod
    def from_events(cls, events: Iterable[StoredEvent]) -> "Customer | None":
        customer = None
        for event in events:
            customer = evolve(customer, event.type, event.data)
            customer.version = event.stream_version
        return customer

    @property
    def kind(self) -> str:
        return self.fields.get("kind") or "company"

    def contact_by_email(self, email: str) -> dict[str, Any] | None:
        return next((c for c in self.contacts.values() if c["email"] == email.lower()), None)

    def as_dict(self) -> dict[str, Any]:
        return {"customer_id": str(self.customer_id), "code": self.code, **self.fields,
                "status": "archived" if self.archived else "active", "version": self.version,
                "contacts": sorted(self.contacts.values(), key=lambda c: (c["last_name"], c["first_name"]))}


def evolve(customer: Customer | None, event_type: str, data: dict) -> Customer | None:
    """Apply one event's data to the customer; also used to follow events not yet stored."""
    if event_type in (CREATED, IMPORTED):
        return Customer(uuid.UUID(str(data["customer_id"])), data["code"], {k: data.get(k) for k in FIELDS})
    if event_type == UPDATED:
        customer.fields.update(data["changes"])
    elif event_type == ARCHIVED:
        customer.archived = True
    elif event_type == CONTACT_ADDED:
        customer.contacts[str(data["contact_id"])] = {k: data.get(k) for k in ("contact_id", *CONTACT_FIELDS)}
    elif event_type == CONTACT_UPDATED:
        customer.contacts[str(data["contact_id"])].update(data["changes"])
    elif event_type == CONTACT_REMOVED:
        customer.contacts.pop(str(data["contact_id"]), None)
    return customer


def create(existing: Customer | None, customer_id: uuid.UUID, code: str, fields: dict, *, imported: bool) -> NewEvent:
    """Decide the event that brings a new customer into being."""
    if existing is not None:
        raise DuplicateCustomerCode(code)
    data = {"customer_id": str(customer_id), "code": code, **{k: fields.get(k) for k in FIELDS}}
    return NewEvent(IMPORTED if imported else CREATED, 1, data)


def changes(customer: Customer, fields: dict) -> dict[str, Any]:
    """The fields whose values differ from the customer's, with their new values."""
    return {k: v for k, v in fields.items() if k in FIELDS and customer.fields.get(k) != v}


def update(customer: Customer | None, code: str, fields: dict) -> list[NewEvent]:
    """Decide the update event for the fields that really changed; none when nothing did."""
    if customer is None:
        raise CustomerNotFound(code)
    changed = changes(customer, fields)
    if not changed:
        return []
    if customer.archived:
        raise CustomerArchived(code)
    if changed.get("kind") == "individual" and customer.contacts:
        raise IndividualWithContacts(code)
    return [NewEvent(UPDATED, 1, {"customer_id": str(customer.customer_id), "code": code, "changes": changed})]


def archive(customer: Customer | None, code: str, reason: str | None) -> list[NewEvent]:
    if customer is None:
        raise CustomerNotFound(code)
    if customer.archived:
        return []
    return [NewEvent(ARCHIVED, 1, {"customer_id": str(customer.customer_id), "code": code, "reason": reason})]
