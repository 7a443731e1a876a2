"""Validate consumed events with validators compiled once from the published JSON Schemas.

The schemas in contracts/schemas/ are the contract other systems validate against, generated from the
marshmallow schemas producers validate with; compiled by jsonschema_rs they check an event in a few
microseconds instead of marshmallow's hundred. Events are read by the catalogue's own `read` (an old
version checked by its compiled schema, upcast, and checked again at the latest), with these validators;
a version whose schema file is missing (a contract added since the files were written) falls back to
the catalogue's own validation. A store validates what it appends with them too (contracts.jsonschema.compiled):
what a producer checks is then exactly what every consumer, Portico's or another's, checks.
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

import jsonschema_rs
import orjson

from .envelope import StoredEvent
from .errors import ContractViolation

_PREFIX = "urn:portico:schema:"


class Catalogue(Protocol):
    def read(self, event: StoredEvent, validate=None) -> StoredEvent: ...

    def validate(self, event_type: str, version: int, data: dict) -> None: ...


class CompiledContracts:
    """Reads events as the catalogue does (validate, upcast), validating with compiled schemas."""

    def __init__(self, catalogue: Catalogue, schema_dir: Path):
        self.catalogue = catalogue
        self._validators: dict[tuple[str, int], jsonschema_rs.Validator] = {}
        for path in sorted(Path(schema_dir).glob("*.json")):
            schema = orjson.loads(path.read_bytes())
            event_type, _, version = schema["$id"].removeprefix(_PREFIX).rpartition(":")
            self._validators[(event_type, int(version))] = jsonschema_rs.validator_for(schema, validate_formats=True)

    def __getattr__(self, name):  # everything else (topics, upcasting, contracts) is the catalogue's
        if name == "catalogue":  # not set yet (a copy being made): not the catalogue's to answer
            raise AttributeError(name)
        return getattr(self.catalogue, name)

    def read(self, event: StoredEvent) -> StoredEvent:
        """The catalogue's read, each version's data checked by its compiled schema."""
        return self.catalogue.read(event, self.validate)

    def validate(self, event_type: str, version: int, data: dict) -> None:
        """Raise ContractViolation unless the data matches that version's schema."""
        validator = self._validators.get((event_type, version))
        if validator is None:
            return self.catalogue.validate(event_type, version, data)
        try:
            if validator.is_valid(data):
                return None
        except ValueError:  # a value JSON has no type for (a UUID, a datetime): the catalogue's rules, as before
            return self.catalogue.validate(event_type, version, data)
        errors = {}
        for error in validator.iter_errors(data):
            pointer = "/" + "/".join(str(p) for p in error.instance_path)
            errors.setdefault(pointer, []).append(error.message[:200])
            if len(errors) >= 10:
                break
        raise ContractViolation(event_type, version, errors)
