"""The customer aggregate: a company or an individual account from the accounting system."""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any, Iterable

from eventkit.envelope import NewEvent, StoredEvent

from .errors import CustomerArchived, CustomerNotFound, DuplicateCustomerCode

CREATED = "portico.identity.customer.created"
IMPORTED = "portico.identity.customer.imported"
UPDATED = "portico.identity.customer.updated"
ARCHIVED = "portico.identity.customer.archived"

# The fields a customer event carries besides its identity (customer_id, code).
FIELDS = ("kind", "name", "receivable_account", "customer_type", "sales_rep", "price_list", "emails",
          "phone", "billing_address", "shipping_address")
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

    @classmethod
    def from_events(cls, events: Iterable[StoredEvent]) -> "Customer | None":
        customer = None
        for event in events:
            data = event.data
            if event.type in (CREATED, IMPORTED):
                customer = cls(uuid.UUID(str(data["customer_id"])), data["code"],
                               {k: data.get(k) for k in FIELDS})
            elif event.type == UPDATED:
                customer.fields.update(data["changes"])
            elif event.type == ARCHIVED:
                customer.archived = True
            customer.version = event.stream_version
        return customer

    def as_dict(self) -> dict[str, Any]:
        return {"customer_id": str(self.customer_id), "code": self.code, **self.fields,
                "status": "archived" if self.archived else "active", "version": self.version}


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
    if customer.archived:
        raise CustomerArchived(code)
    changed = changes(customer, fields)
    if not changed:
        return []
    return [NewEvent(UPDATED, 1, {"customer_id": str(customer.customer_id), "code": code, "changes": changed})]


def archive(customer: Customer | None, code: str, reason: str | None) -> list[NewEvent]:
    if customer is None:
        raise CustomerNotFound(code)
    if customer.archived:
        return []
    return [NewEvent(ARCHIVED, 1, {"customer_id": str(customer.customer_id), "code": code, "reason": reason})]
