"""Handlers for customer commands: load the stream, let the domain decide, append the events."""
from __future__ import annotations

from dataclasses import dataclass

from eventkit.envelope import StoredEvent
from eventkit.errors import ConcurrencyConflict
from eventkit.store import StreamAppend

from ..domain import customer as customers
from ..domain.commands import ArchiveCustomer, CreateCustomer, ImportCustomer, UpdateCustomer
from ..domain.customer import Customer, customer_id_for, stream_id
from ..domain.errors import DuplicateCustomerCode


@dataclass(frozen=True)
class Outcome:
    """The customer after the command, and the events it wrote (none when nothing changed)."""

    customer: Customer
    events: list[StoredEvent]
    created: bool = False

    @property
    def position(self) -> int | None:
        return self.events[-1].position if self.events else None


def load(uow, tenant_id: str, code: str) -> Customer | None:
    return Customer.from_events(uow.read_stream(stream_id(customer_id_for(tenant_id, code))))


def create_customer(cmd: CreateCustomer, uow) -> Outcome:
    """Add a customer by hand; its code must not exist yet in the tenant."""
    cid = customer_id_for(cmd.meta.tenant_id, cmd.code)
    try:
        with uow:
            event = customers.create(load(uow, cmd.meta.tenant_id, cmd.code), cid, cmd.code, cmd.fields,
                                     imported=False)
            stored = uow.append([StreamAppend(stream_id(cid), "customer", 0, [event])], cmd.meta)
    except ConcurrencyConflict:
        raise DuplicateCustomerCode(cmd.code) from None  # created concurrently by someone else
    return Outcome(Customer.from_events(stored), stored, created=True)


def import_customer(cmd: ImportCustomer, uow) -> Outcome:
    """Create or update from the accounting system; re-importing the same data writes nothing."""
    for attempt in range(2):
        try:
            return _import_once(cmd, uow)
        except ConcurrencyConflict:
            if attempt:
                raise
    raise AssertionError("unreachable")


def _import_once(cmd: ImportCustomer, uow) -> Outcome:
    cid = customer_id_for(cmd.meta.tenant_id, cmd.code)
    with uow:
        history = uow.read_stream(stream_id(cid))
        existing = Customer.from_events(history)
        if existing is None:
            events = [customers.create(None, cid, cmd.code, cmd.fields, imported=True)]
        else:
            events = customers.update(existing, cmd.code, cmd.fields)
        stored = uow.append([StreamAppend(stream_id(cid), "customer", len(history), events)], cmd.meta)
    return Outcome(Customer.from_events(history + stored), stored, created=existing is None)


def update_customer(cmd: UpdateCustomer, uow) -> Outcome:
    """Change some fields; with expected_version, refuse if someone changed it meanwhile."""
    cid = customer_id_for(cmd.meta.tenant_id, cmd.code)
    with uow:
        history = uow.read_stream(stream_id(cid))
        existing = Customer.from_events(history)
        expected = len(history) if cmd.expected_version is None else cmd.expected_version
        if existing is not None and expected != existing.version:
            raise ConcurrencyConflict(stream_id(cid), expected, existing.version)
        events = customers.update(existing, cmd.code, cmd.changes)
        stored = uow.append([StreamAppend(stream_id(cid), "customer", expected, events)], cmd.meta)
    return Outcome(Customer.from_events(history + stored), stored)


def archive_customer(cmd: ArchiveCustomer, uow) -> Outcome:
    cid = customer_id_for(cmd.meta.tenant_id, cmd.code)
    with uow:
        history = uow.read_stream(stream_id(cid))
        existing = Customer.from_events(history)
        expected = len(history) if cmd.expected_version is None else cmd.expected_version
        if existing is not None and expected != existing.version:
            raise ConcurrencyConflict(stream_id(cid), expected, existing.version)
        events = customers.archive(existing, cmd.code, cmd.reason)
        stored = uow.append([StreamAppend(stream_id(cid), "customer", expected, events)], cmd.meta)
    return Outcome(Customer.from_events(history + stored), stored)


def get_customer(tenant_id: str, code: str, uow) -> Customer | None:
    with uow:
        return load(uow, tenant_id, code)
