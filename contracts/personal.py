"""Personal values in event data (issue 17): which fields are a person's, and how they travel.

A field a person can be recognised by is declared `Personal(<its clear field>)`. Since its event's
version that says so, its producer seals it for the person (the subject: `contact-<id>`, `user-<id>`,
`customer-<id>` of an individual customer) as `{"subject": ..., "ciphertext": base64(nonce + AES-GCM)}`
of the value's JSON (`eventkit.personal`); a clear value is one written before (the earlier version,
upcast) or a company's, which is nobody's personal data. The JSON Schema says so: `x-portico-personal`,
and the sealed form's `contentEncoding` and `contentMediaType`, so an outside consumer knows what it holds.

A consumer with the key release reads events through `OpeningContracts`: the same events, their sealed
values opened, or the field's marker once the subject is forgotten (its key is gone).
"""
from __future__ import annotations

import json
from dataclasses import replace
from functools import lru_cache
from typing import Callable, Iterable, Mapping

import orjson
from marshmallow import Schema, fields, validate

from eventkit.envelope import StoredEvent
from eventkit.personal import FORGOTTEN, open_value

from .fields import StrictSchema

SEALED_MEDIA_TYPE = "application/vnd.portico.sealed+json"
SUBJECT_PATTERN = r"^(contact|user|customer)-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
FORGOTTEN_EVENT = "portico.identity.subject.forgotten"
Keys = Callable[[str, Iterable[str]], Mapping[str, "bytes | None"]]  # (tenant, subjects) -> key, None: forgotten


class SealedValue(StrictSchema):
    subject = fields.String(required=True, validate=validate.Regexp(SUBJECT_PATTERN),
                            metadata={"description": "whose value it is: contact-<id>, user-<id> or customer-<id>"})
    ciphertext = fields.String(required=True, validate=validate.Length(min=16), metadata={
        "description": "base64 of a 12-byte nonce and the AES-GCM ciphertext of the value's JSON, with "
                       "'<tenant>|<subject>|<field path>' as associated data"})


class Personal(fields.Field):
    """A person's value: sealed for its subject, or in clear (written before sealing, or a company's)."""

    def __init__(self, clear: fields.Field, forgotten=FORGOTTEN, **kwargs):
        super().__init__(**kwargs)
        self.clear, self.forgotten = clear, forgotten

    def _deserialize(self, value, attr, data, **kwargs):
        if is_sealed(value):  # a clear value may be an object too (an address)
            return SealedValue().load(value)
        return self.clear.deserialize(value, attr, data, **kwargs)


def is_sealed(value) -> bool:
    return isinstance(value, dict) and "ciphertext" in value and "subject" in value


def json_schema_of(converter, field, **kwargs) -> dict:
    """apispec attribute function: a Personal field is its clear schema or the sealed object."""
    if not isinstance(field, Personal):
        return {}
    clear = converter.field2property(field.clear)
    clear.pop("x-portico-personal", None)
    sealed = converter.schema2jsonschema(SealedValue)
    sealed["properties"]["ciphertext"].update(contentEncoding="base64", contentMediaType=SEALED_MEDIA_TYPE)
    return {"oneOf": [clear, {**sealed, "description": "the value sealed for its subject"}],
            "x-portico-personal": True, "description": field.metadata.get(
                "description", "personal: sealed for the person it belongs to (x-portico-personal)")}


@lru_cache(maxsize=None)
def personal_fields(schema: type[Schema]) -> tuple[tuple[tuple[str, ...], Personal], ...]:
    """Every Personal field of a schema, with its path (a nested `changes` too)."""
    found = []
    for name, field in schema._declared_fields.items():
        key = field.data_key or name
        if isinstance(field, Personal):
            found.append(((key,), field))
        elif isinstance(field, fields.Nested) and isinstance(field.nested, type):
            found.extend(((key, *path), inner) for path, inner in personal_fields(field.nested))
    return tuple(found)


def _at(data: dict, path: tuple[str, ...]):
    for step in path[:-1]:
        data = data.get(step) if isinstance(data, dict) else None
    return data if isinstance(data, dict) and path[-1] in data else None


_COPY_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME | orjson.OPT_PASSTHROUGH_DATACLASS  # both as their str()


def json_copy(data: Mapping) -> dict:
    """A deep copy as a JSON round trip makes it, a value JSON lacks written as its str(): by orjson (a consumer
    opens every personal event it reads), or by the standard library for what orjson refuses (an integer past
    64 bits, a key that is not a string). Event data is JSON's types and these; orjson would write an Enum as
    its value and NaN as null, where the round trip kept str(member) and NaN, but no schema lets either in."""
    try:
        return orjson.loads(orjson.dumps(data, default=str, option=_COPY_OPTIONS))
    except (orjson.JSONEncodeError, orjson.JSONDecodeError):
        return json.loads(json.dumps(data, default=str))


def seal_data(data: Mapping, schema: type[Schema], subject: str, seal: Callable[[str, str, str], dict]) -> dict:
    """The data with every personal value sealed for `subject`: seal(subject, field path, clear JSON)."""
    sealed = json_copy(data)
    for path, _ in personal_fields(schema):
        holder = _at(sealed, path)
        if holder is not None and holder[path[-1]] is not None and not is_sealed(holder[path[-1]]):
            holder[path[-1]] = seal(subject, ".".join(path), json.dumps(holder[path[-1]]))
    return sealed


def sealed_subjects(data: Mapping, schema: type[Schema]) -> set[str]:
    return {holder[path[-1]]["subject"] for path, _ in personal_fields(schema)
            if (holder := _at(data, path)) is not None and is_sealed(holder[path[-1]])}


def open_data(data: Mapping, schema: type[Schema], tenant_id: str, keys: Mapping[str, "bytes | None"]) -> dict:
    """The data with its sealed values opened; a forgotten (or unknown) subject's become the field's marker."""
    opened = json_copy(data)
    for path, field in personal_fields(schema):
        holder = _at(opened, path)
        if holder is None or not is_sealed(holder[path[-1]]):
            continue
        key = keys.get(holder[path[-1]]["subject"])
        holder[path[-1]] = (field.forgotten if key is None else
                            json.loads(open_value(key, tenant_id, ".".join(path), holder[path[-1]])))
    return opened


def keys_by_tenant(events: list[StoredEvent], catalogue, keys: Keys) -> dict[str, Mapping[str, "bytes | None"]]:
    """The keys of everyone sealed in the events, asked of `keys` once per tenant (a tenant with none, never)."""
    wanted: dict[str, set[str]] = {}
    for event in events:
        wanted.setdefault(event.tenant_id, set()).update(
            sealed_subjects(event.data, catalogue.contract(event.type, event.version).schema))
    return {tenant: keys(tenant, sorted(subjects)) for tenant, subjects in wanted.items() if subjects}


def opened(event: StoredEvent, catalogue, found: Mapping[str, Mapping]) -> StoredEvent:
    """The event with its sealed values opened with the keys `keys_by_tenant` found."""
    schema = catalogue.contract(event.type, event.version).schema
    if event.tenant_id not in found or not sealed_subjects(event.data, schema):
        return event
    return replace(event, data=open_data(event.data, schema, event.tenant_id, found[event.tenant_id]))


def opened_events(events: list[StoredEvent], catalogue, keys: Keys) -> list[StoredEvent]:
    """Stored events with their personal values opened, asking `keys` once per tenant."""
    found = keys_by_tenant(events, catalogue, keys)
    return [opened(event, catalogue, found) for event in events]


class OpeningContracts:
    """Reads events as `contracts` does (validate, upcast), then opens their personal values with `keys`."""

    def __init__(self, contracts, catalogue, keys: Keys):
        self.contracts, self.catalogue, self.keys = contracts, catalogue, keys

    def read(self, event: StoredEvent) -> StoredEvent:
        [read] = self.read_all([event])
        if isinstance(read, Exception):
            raise read
        return read

    def read_all(self, events: list[StoredEvent]) -> list["StoredEvent | Exception"]:
        """A poll's events read at once: each validated and upcast (one that fails comes back as its error),
        then the keys of everyone sealed in them asked for once per tenant, not once per event: a rebuild
        reads thousands of people. KeyReleaseUnavailable is raised, as nothing of the batch can be read."""
        read: list[StoredEvent | Exception] = []
        for event in events:
            try:
                event = self.contracts.read(event)
            except Exception as error:  # the caller dead-letters it
                read.append(error)
                continue
            if event.type == FORGOTTEN_EVENT and hasattr(self.keys, "drop"):
                self.keys.drop(event.tenant_id, event.data["subject"])
            read.append(event)
        found = keys_by_tenant([e for e in read if isinstance(e, StoredEvent)], self.catalogue, self.keys)
        return [self._opened(event, found) if isinstance(event, StoredEvent) else event for event in read]

    def _opened(self, event: StoredEvent, found: Mapping[str, Mapping]) -> "StoredEvent | Exception":
        try:
            return opened(event, self.catalogue, found)
        except Exception as error:  # a value that does not open (tampered, or sealed for another tenant)
            return error

    def __getattr__(self, name):
        return getattr(self.contracts, name)


def opening_reader(catalogue, keys: Keys) -> OpeningContracts:
    """How a service's consumers read events: validated with the compiled schemas, upcast, people's values opened."""
    from eventkit.validation import CompiledContracts

    from .jsonschema import SCHEMA_DIR
    return OpeningContracts(CompiledContracts(catalogue, SCHEMA_DIR), catalogue, keys)
