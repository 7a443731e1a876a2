"""Refuse changes to published events that would break a consumer.

The published record is the committed contracts/schemas/*.json. A published version is frozen: its
data is in every service's history and in consumers that validate with that file, and the schemas
are closed (no unknown fields), so any change to what a version accepts breaks someone, in either
direction. Wording (title, description, examples) may change; anything else needs a new version
with an upcaster on the old one. A version may not disappear either: history still holds it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from .catalogue import Catalogue
from .jsonschema import SCHEMA_DIR, json_schema

WORDING = {"title", "description", "examples", "example", "$comment"}


@dataclass(frozen=True)
class Break:
    event: str  # "portico.identity.customer.created v1"
    reason: str

    def __str__(self) -> str:
        return f"{self.event}: {self.reason}"


def published(directory: Path = SCHEMA_DIR) -> dict[str, dict]:
    """The published schemas by $id."""
    schemas = (json.loads(path.read_text()) for path in sorted(directory.glob("*.json")))
    return {schema["$id"]: schema for schema in schemas}


def check(catalogue: Catalogue, directory: Path = SCHEMA_DIR) -> list[Break]:
    """Every way the catalogue breaks a published event version; empty when it breaks none."""
    current = {schema["$id"]: (contract.name, schema) for contract in catalogue
               for schema in [json_schema(contract)]}
    breaks = []
    for schema_id, old in published(directory).items():
        if schema_id not in current:
            breaks.append(Break(old.get("title", schema_id), "published version removed from the catalogue; "
                                "events of it are in history, keep it (with an upcaster)"))
            continue
        name, new = current[schema_id]
        reasons = differences(old, new)
        breaks.extend(Break(name, reason) for reason in reasons)
    return breaks


def differences(old: dict, new: dict, path: str = "") -> list[str]:
    """What a consumer would notice, field by field; wording is ignored."""
    here = f"`{path}`" if path else "the data"
    found = []
    old_types, new_types = _types(old), _types(new)
    if old_types != new_types:
        found.append(f"type of {here} changed from {_show(old_types)} to {_show(new_types)}")
    found += _object_differences(old, new, path, here)
    if "enum" in old or "enum" in new:
        narrowed = [v for v in old.get("enum", []) if v not in new.get("enum", [])]
        widened = [v for v in new.get("enum", []) if v not in old.get("enum", [])]
        if narrowed:
            found.append(f"enum of {here} narrowed: {narrowed} no longer allowed")
        if widened:
            found.append(f"enum of {here} widened: consumers of this version reject {widened}")
    if "items" in old or "items" in new:
        found += differences(old.get("items", {}), new.get("items", {}), f"{path}[]")
    skip = WORDING | {"type", "properties", "required", "additionalProperties", "enum", "items", "$schema", "$id"}
    for keyword in sorted((set(old) | set(new)) - skip):
        if old.get(keyword) != new.get(keyword):
            found.append(f"`{keyword}` of {here} changed from {old.get(keyword)!r} to {new.get(keyword)!r}")
    return found


def _object_differences(old: dict, new: dict, path: str, here: str) -> list[str]:
    found = []
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    for name in old_fields:
        field = f"`{path}.{name}`" if path else f"`{name}`"
        if name not in new_fields:
            found.append(f"field {field} removed")
        else:
            found += differences(old_fields[name], new_fields[name], f"{path}.{name}" if path else name)
    for name in new_fields:
        if name not in old_fields:
            field = f"`{path}.{name}`" if path else f"`{name}`"
            found.append(f"field {field} added: consumers validating with the published schema reject it")
    for name in sorted(new_required - old_required):
        found.append(f"field `{_join(path, name)}` newly required: stored events without it no longer validate")
    for name in sorted(old_required - new_required):
        if name in new_fields:
            found.append(f"field `{_join(path, name)}` no longer required: consumers rely on it being there")
    old_extra, new_extra = old.get("additionalProperties", True), new.get("additionalProperties", True)
    if old_extra != new_extra:
        change = "tightened" if new_extra is False else "loosened"
        found.append(f"additionalProperties of {here} {change}")
    return found


def _types(schema: dict) -> set[str]:
    kind = schema.get("type")
    return set() if kind is None else {kind} if isinstance(kind, str) else set(kind)


def _show(types: set[str]) -> str:
    return " or ".join(sorted(types)) or "any"


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name
