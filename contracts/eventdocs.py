"""docs/events.md: the catalogue as a page for people who consume Portico's events.

Generated from the same contracts as the JSON Schemas and the AsyncAPI document (`python -m contracts`),
so the page cannot say something the schemas don't.
"""
from __future__ import annotations

import json
from itertools import groupby
from pathlib import Path

from eventkit.cloudevents import dataschema_uri

from .catalogue import Catalogue, EventContract
from .examples import example_data, example_headers
from .headers import ATTRIBUTES, OPTIONAL
from .jsonschema import json_schema, schema_file

PAGE = Path(__file__).resolve().parent.parent / "docs" / "events.md"

_INTRO = """# Portico's events

Generated from `contracts/` by `python -m contracts`; do not edit by hand. The same catalogue gives
the JSON Schemas in `contracts/schemas/` and the AsyncAPI 3.0 document `contracts/asyncapi.json`.
A runnable consumer that validates with these schemas: `examples/consumer/`.

**On the wire.** Each record is a CloudEvent 1.0 in the Kafka protocol binding, binary content mode:
the attributes are `ce_*` headers (UTF-8 text), the data is the record value as JSON, and the key is
the stream id, so one customer's (one stream's) events stay on one partition, in order. Delivery is
at least once: deduplicate on `ce_id`. Validate the data with the schema whose `$id` is `ce_dataschema`.

**Versions.** A published version of an event never changes; a change that could break a consumer
is a new version, and the test suite refuses anything else (`contracts/compatibility.py`). Services
upcast old versions when they read them; a consumer of its own should accept every version it knows.

| header | required | meaning |
|---|---|---|
"""


def _headers_table() -> str:
    rows = [f"| `{name}` | {'no' if name in OPTIONAL else 'yes'} | {text} |"
            for name, (_, text) in ATTRIBUTES.items()]
    return "\n".join(rows) + "\n"


def _type(schema: dict) -> str:
    types = schema.get("type", "any")
    types = [types] if isinstance(types, str) else list(types)
    if "array" in types and "items" in schema:
        types[types.index("array")] = f"array of {_type(schema['items'])}"
    text = " or ".join(types)
    return f"{text} ({schema['format']})" if "format" in schema else text


def _notes(schema: dict) -> str:
    notes = [schema["description"]] if schema.get("description") else []
    if "enum" in schema:
        notes.append("one of " + ", ".join(f"`{v}`" for v in schema["enum"] if v is not None))
    low, high = schema.get("minLength"), schema.get("maxLength")
    if low == high and low is not None:
        notes.append(f"exactly {low} characters")
    elif high is not None:
        notes.append(f"{low} to {high} characters" if low else f"at most {high} characters")
    if "maxItems" in schema:
        notes.append(f"at most {schema['maxItems']} items")
    return "; ".join(notes).replace("|", "\\|")


def field_rows(schema: dict, prefix: str = "") -> list[str]:
    """One table row per field, nested objects' fields under dotted names."""
    rows, required = [], set(schema.get("required", ()))
    for name, sub in schema.get("properties", {}).items():
        path = f"{prefix}{name}"
        rows.append(f"| `{path}` | {_type(sub)} | {'yes' if name in required else 'no'} | {_notes(sub)} |")
        if "properties" in sub:
            rows.extend(field_rows(sub, f"{path}."))
    return rows


def section(contract: EventContract, latest: bool) -> str:
    schema = json_schema(contract)
    data = example_data(schema)
    example = {"key": example_headers(contract, data)["ce_partitionkey"], "data": data}
    return "\n".join([
        f"### `{contract.type}` v{contract.version}",
        "",
        contract.description,
        "",
        f"- published by **{contract.owner}** on topic `{contract.topic}`",
        f"- key: {contract.key}",
        f"- `ce_dataschema`: `{dataschema_uri(contract.type, contract.version)}` "
        f"(`contracts/schemas/{schema_file(contract).name}`)",
        "- the current version" if latest else f"- superseded: services upcast it to v{contract.version + 1} when read",
        "",
        "| field | type | required | notes |",
        "|---|---|---|---|",
        *field_rows(schema),
        "",
        "Example:",
        "```json",
        json.dumps(example, indent=2),
        "```",
        "",
    ])


def render(catalogue: Catalogue) -> str:
    parts = [_INTRO, _headers_table()]
    by_topic = sorted(catalogue, key=lambda c: (c.topic, c.type, c.version))
    for topic, contracts in groupby(by_topic, key=lambda c: c.topic):
        parts.append(f"\n## Topic `{topic}`\n\n")
        parts.append("\n".join(section(c, catalogue.latest(c.type).version == c.version) for c in contracts))
    return "".join(parts)


def write(catalogue: Catalogue) -> Path:
    PAGE.parent.mkdir(exist_ok=True)
    PAGE.write_text(render(catalogue))
    return PAGE
