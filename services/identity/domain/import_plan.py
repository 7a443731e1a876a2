"""Decide what importing one customer's rows (its own row and its contacts' rows) does to it.

The same decision serves the dry run, the check before writing and the writing itself, so what a
dry run reports is what the import then does, unless someone changes the customer in between.
"""
from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field

from eventkit.envelope import NewEvent

from . import contact as contacts
from . import customer as customers
from .customer import Customer, evolve
from .errors import DomainError
from .import_rows import ImportRow, RowProblem

_COLUMN_OF_FIELD = {"kind": "record_type", "code": "customer_code", "email": "email"}


@dataclass
class GroupPlan:
    events: list[NewEvent] = field(default_factory=list)
    outcomes: Counter = field(default_factory=Counter)  # "customers.created", "contacts.unchanged", ...
    problems: list[RowProblem] = field(default_factory=list)
    filtered: int = 0  # rows left out because their customer type was not asked for


def _type_of(customer_row: ImportRow | None, existing: Customer | None) -> str:
    if customer_row is not None and "customer_type" in customer_row.fields:
        return (customer_row.fields["customer_type"] or "").lower()
    return ((existing.fields.get("customer_type") if existing else None) or "").lower()


def plan_group(existing: Customer | None, customer_id: uuid.UUID, code: str, rows: list[ImportRow],
               customer_types: frozenset[str] = frozenset()) -> GroupPlan:
    """The events that bring the customer and its contacts in line with the rows, and per-row outcomes."""
    plan = GroupPlan()
    customer_row = next((r for r in rows if not r.is_contact), None)
    if customer_types and _type_of(customer_row, existing) not in customer_types:
        plan.filtered = len(rows)
        return plan
    customer = existing
    if customer_row is not None:
        customer = _decide(plan, customer, customer_row, "customers", lambda c: _customer_events(c, customer_id,
                                                                                                  customer_row))
    for row in (r for r in rows if r.is_contact):
        if customer is None:
            plan.problems.append(RowProblem(row.number, "customer_code",
                                            f"No company has the code {code!r} in this file or in Portico."))
            continue
        customer = _decide(plan, customer, row, "contacts", lambda c: _contact_events(c, row))
    return plan


def _decide(plan: GroupPlan, customer: Customer | None, row: ImportRow, what: str, decide) -> Customer | None:
    try:
        events, outcome = decide(customer)
    except DomainError as error:
        column = _COLUMN_OF_FIELD.get(getattr(error, "field", None) or "", None)
        plan.problems.append(RowProblem(row.number, column, str(error)))
        return customer
    plan.outcomes[f"{what}.{outcome}"] += 1
    plan.events.extend(events)
    for event in events:
        customer = evolve(customer, event.type, dict(event.data))
    return customer


def _customer_events(customer: Customer | None, customer_id: uuid.UUID, row: ImportRow):
    if customer is None:
        fields = {"emails": [], **row.fields}
        return [customers.create(None, customer_id, row.customer_code, fields, imported=True)], "created"
    events = customers.update(customer, row.customer_code, row.fields)
    return events, "changed" if events else "unchanged"


def _contact_events(customer: Customer, row: ImportRow):
    known = customer.contact_by_email(row.fields["email"])
    if known is None:
        return [contacts.add(customer, row.customer_code, row.fields)], "created"
    events = contacts.update(customer, row.customer_code, known["contact_id"], row.fields)
    return events, "changed" if events else "unchanged"
