"""JSON Schema (draft 2020-12) for each contract, generated from its marshmallow schema.

apispec's converter does the marshmallow-to-schema mapping; OpenAPI 3.1 schema objects are JSON
Schema 2020-12, so the same output serves AsyncAPI, OpenAPI and plain JSON Schema validators.
"""
from __future__ import annotations

import json
from pathlib import Path

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin

from eventkit.cloudevents import dataschema_uri

from .catalogue import Catalogue, EventContract
from .personal import json_schema_of

DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_DIR = Path(__file__).parent / "schemas"


def compiled(catalogue: Catalogue):
    """The catalogue, validating with the published schemas compiled (eventkit/validation.py): a store's
    contracts, so that what it appends is checked as every consumer checks it, in microseconds."""
    from eventkit.validation import CompiledContracts
    return CompiledContracts(catalogue, SCHEMA_DIR)


def _converter():
    plugin = MarshmallowPlugin(schema_name_resolver=lambda schema: None)  # None: inline nested schemas
    APISpec("portico-events", "1", "3.1.0", plugins=[plugin])
    plugin.converter.add_attribute_function(json_schema_of)
    return plugin.converter


def _tighten(node):
    """Closed objects, as the marshmallow schemas are (unknown = RAISE)."""
    if isinstance(node, dict):
        if node.get("type") == "object" or (isinstance(node.get("type"), list) and "object" in node["type"]):
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _tighten(value)
    elif isinstance(node, list):
        for value in node:
            _tighten(value)
    return node


def json_schema(contract: EventContract) -> dict:
    """The JSON Schema of one contract's data, with $id equal to the CloudEvents dataschema."""
    body = _tighten(_converter().schema2jsonschema(contract.schema))
    return {
        "$schema": DIALECT,
        "$id": dataschema_uri(contract.type, contract.version),
        "title": contract.name,
        "description": contract.description,
        **body,
    }


def schema_file(contract: EventContract) -> Path:
    return SCHEMA_DIR / f"{contract.type}.v{contract.version}.json"


def write_all(catalogue: Catalogue) -> list[Path]:
    """Write every contract's JSON Schema under contracts/schemas/; return the paths."""
    SCHEMA_DIR.mkdir(exist_ok=True)
    paths = []
    for contract in catalogue:
        path = schema_file(contract)
        path.write_text(json.dumps(json_schema(contract), indent=2, sort_keys=True) + "\n")
        paths.append(path)
    return paths


if __name__ == "__main__":
    # The same as `python -m contracts`: the compatibility check first, then every generated file.
    import sys

    from .__main__ import main

    sys.exit(main())
