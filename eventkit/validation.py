"""Validate consumed events with validators compiled once from the published JSON Schemas.

The schemas in contracts/schemas/ are the contract other systems validate against, generated from the
marshmallow schemas producers validate with; compiled by jsonschema_rs they check an event in a few
microseconds instead of marshmallow's hundred. An old version is upcast by the catalogue, as before,
and an event whose schema file is missing (a contract added since the files were written) falls back
to the catalogue's own validation.
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
    def read(self, event: StoredEvent) -> StoredEvent: ...

    def latest(self, event_type: str): ...


class CompiledContracts:
    """Reads events as the catalogue does (validate, upcast), validating with compiled schemas."""

    def __init__(self, catalogue: Catalogue, schema_dir: Path):
        self.catalogue = catalogue
        self._validators: dict[tuple[str, int], jsonschema_rs.Validator] = {}
        for path in sorted(Path(schema_dir).glob("*.json")):
            schema = orjson.loads(path.read_bytes())
            event_type, _, version = schema["$id"].removeprefix(_PREFIX).rpartition(":")
            self._validators[(event_type, int(version))] = jsonschema_rs.validator_for(schema, validate_formats=True)

    def read(self, event: StoredEvent) -> StoredEvent:
        """Validate an event as received and upcast it to the latest version of its type."""
        validator = self._validators.get((event.type, event.version))
        if validator is None or self.catalogue.latest(event.type).version != event.version:
            return self.catalogue.read(event)
        if validator.is_valid(event.data):
            return event
        errors = {}
        for error in validator.iter_errors(event.data):
            pointer = "/" + "/".join(str(p) for p in error.instance_path)
            errors.setdefault(pointer, []).append(error.message[:200])
            if len(errors) >= 10:
                break
        raise ContractViolation(event.type, event.version, errors)
