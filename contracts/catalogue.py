"""The catalogue: look up an event's contract, validate data against it, upcast old versions."""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable, Iterable, TypeVar

from marshmallow import Schema

from eventkit.envelope import StoredEvent
from eventkit.errors import ContractViolation, UnknownEventType

Upcaster = Callable[[dict], dict]
Validate = Callable[[str, int, dict], None]  # (type, version, data); raises ContractViolation
E = TypeVar("E")  # a stored or a new event: both carry type, version and data


@dataclass(frozen=True)
class EventContract:
    """One version of one event: what it means, who publishes it, where, and its data's schema."""

    type: str
    version: int
    owner: str
    topic: str
    key: str
    schema: type[Schema]
    description: str
    upcast: Upcaster | None = None  # turns this version's data into the next version's

    @property
    def name(self) -> str:
        return f"{self.type} v{self.version}"


class Catalogue:
    def __init__(self, contracts: Iterable[EventContract]):
        self._contracts = {(c.type, c.version): c for c in contracts}
        self._latest: dict[str, EventContract] = {}
        self._schemas: dict[tuple[str, int], Schema] = {}
        for c in self._contracts.values():
            if c.type not in self._latest or c.version > self._latest[c.type].version:
                self._latest[c.type] = c

    def __iter__(self):
        return iter(sorted(self._contracts.values(), key=lambda c: (c.type, c.version)))

    def contract(self, event_type: str, version: int) -> EventContract:
        try:
            return self._contracts[(event_type, version)]
        except KeyError:
            raise UnknownEventType(f"{event_type} v{version} is not in the catalogue") from None

    def latest(self, event_type: str) -> EventContract:
        try:
            return self._latest[event_type]
        except KeyError:
            raise UnknownEventType(f"{event_type} is not in the catalogue") from None

    def _schema(self, event_type: str, version: int) -> Schema:
        # One instance per contract, reused: building a marshmallow schema deep-copies its fields, which
        # cost more than validating (measured by `make bench`: most of an import's and a consumer's time).
        key = (event_type, version)
        if key not in self._schemas:
            self._schemas[key] = self.contract(event_type, version).schema()
        return self._schemas[key]

    def topic_of(self, event_type: str) -> str:
        return self.latest(event_type).topic

    def validate(self, event_type: str, version: int, data: dict) -> None:
        """Raise ContractViolation unless the data matches that version's schema exactly."""
        errors = self._schema(event_type, version).validate(data)
        if errors:
            raise ContractViolation(event_type, version, errors)

    def read(self, event: StoredEvent, validate: Validate | None = None) -> StoredEvent:
        """Validate an event as received, upcast it to the latest version of its type and validate it
        there; `validate` checks one version's data (the marshmallow schemas' unless another is given)."""
        validate = validate or self.validate
        validate(event.type, event.version, event.data)
        upcast = self.upcast(event)
        if upcast is not event:
            validate(upcast.type, upcast.version, upcast.data)
        return upcast

    def upcast(self, event: E) -> E:
        """The event at the latest version of its type, through each version's upcaster (itself if it is)."""
        data, version = event.data, event.version
        latest = self.latest(event.type).version
        while version < latest:
            to_next = self.contract(event.type, version).upcast
            if to_next is None:
                raise ContractViolation(event.type, version, {"_schema": ["no upcaster to the next version"]})
            data, version = to_next(dict(data)), version + 1
        return event if version == event.version else replace(event, data=data, version=version)
