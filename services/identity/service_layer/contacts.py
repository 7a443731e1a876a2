"""Handlers for a company's contacts: load the customer's stream, let the domain decide, append."""
from __future__ import annotations

from typing import Callable

from eventkit.envelope import Metadata, NewEvent
from eventkit.errors import ConcurrencyConflict
from eventkit.store import StreamAppend

from ..domain import contact as contacts
from ..domain.commands import AddContact, RemoveContact, UpdateContact
from ..domain.customer import Customer, customer_id_for, stream_id
from .customers import Outcome


def _change(uow, meta: Metadata, code: str, expected_version: int | None,
            decide: Callable[[Customer | None], list[NewEvent]]) -> Outcome:
    sid = stream_id(customer_id_for(meta.tenant_id, code))
    with uow:
        history = uow.read_stream(sid)
        customer = Customer.from_events(history)
        expected = len(history) if expected_version is None else expected_version
        if customer is not None and expected != customer.version:
            raise ConcurrencyConflict(sid, expected, customer.version)
        stored = uow.append([StreamAppend(sid, "customer", expected, decide(customer))], meta)
    return Outcome(Customer.from_events(history + stored), stored)


def add_contact(cmd: AddContact, uow) -> Outcome:
    """Add a contact to a company; its e-mail must be new among the company's contacts."""
    return _change(uow, cmd.meta, cmd.code, None, lambda c: [contacts.add(c, cmd.code, cmd.fields)])


def update_contact(cmd: UpdateContact, uow) -> Outcome:
    """Change some of a contact's fields (ContactUpdated with only the changed ones)."""
    return _change(uow, cmd.meta, cmd.code, cmd.expected_version,
                   lambda c: contacts.update(c, cmd.code, cmd.contact_id, cmd.changes))


def remove_contact(cmd: RemoveContact, uow) -> Outcome:
    return _change(uow, cmd.meta, cmd.code, cmd.expected_version,
                   lambda c: contacts.remove(c, cmd.code, cmd.contact_id))
