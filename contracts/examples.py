"""An example of each event's data and CloudEvents headers, made from its JSON Schema.

The catalogue's pages (AsyncAPI, docs/events.md) show one example per event. Making it from the
schema means it cannot drift from the contract; a test validates every example against its schema.
"""
from __future__ import annotations

import re
import uuid

from eventkit.cloudevents import CONTENT_TYPE, SPECVERSION, dataschema_uri

from .catalogue import EventContract

# Values a reader recognises, by field name; anything else gets a value made from its type.
_SAMPLES = {
    "code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "kind": "company",
    "customer_type": "Wholesale", "sales_rep": "rep-7", "price_list": "A", "phone": "+49 40 1234567",
    "line1": "Hafenstrasse 1", "line2": "Gate 4", "city": "Hamburg", "region": "HH", "postal_code": "20457", "country": "DE",
    "reason": "closed the account", "username": "acme-buyer", "first_name": "Ada", "last_name": "Lovelace",
    "email": "ap@acme.example", "emails": ["ap@acme.example"],
}
_FORMATS = {"uuid": lambda name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"portico:{name}")),
            "email": lambda name: "ap@acme.example", "date-time": lambda name: "2026-01-15T09:30:00Z",
            "date": lambda name: "2026-01-15", "uri": lambda name: "https://portal.example/",
            "url": lambda name: "https://portal.example/"}
# Tried for a field with a pattern the name's sample does not match (a sealed token: eventkit.sealed).
_PATTERNED = ["v1.ZXBoZW1lcmFsLWtleQ.c2VhbGVkLXRva2Vu"]
# base64 of a nonce and ciphertext, as a sealed personal value holds (contracts/personal.py)
_SEALED_EXAMPLE = "3q2+7wAAAAAAAAAAAAAAAGFuIGV4YW1wbGUgb2YgYSBzZWFsZWQgdmFsdWU="
EXAMPLE_TIME = "2026-01-15T09:30:00Z"


def example_data(schema: dict, name: str = "value", opened: bool = False):
    """A value that the schema accepts, preferring recognisable samples over placeholders; `opened`: personal
    values in clear, as a consumer reads them once opened (contracts/personal.py), rather than sealed."""
    for key in ("const", "default"):
        if key in schema and schema[key] is not None:
            return schema[key]
    if schema.get("examples"):
        return schema["examples"][0]
    if "example" in schema:
        return schema["example"]
    if schema.get("x-portico-personal") and not opened:
        return {"subject": "contact-" + _FORMATS["uuid"](name), "ciphertext": _SEALED_EXAMPLE}
    if schema.get("oneOf"):
        return example_data(schema["oneOf"][0], name, opened)
    if schema.get("enum"):
        return next((v for v in schema["enum"] if v is not None), schema["enum"][0])
    types = schema.get("type", "object")
    types = [types] if isinstance(types, str) else [t for t in types if t != "null"] or ["null"]
    kind = types[0]
    if kind == "object":
        properties = schema.get("properties", {})
        return {key: example_data(sub, key, opened) for key, sub in properties.items()}
    if kind == "array":
        if name in _SAMPLES and isinstance(_SAMPLES[name], list):
            return list(_SAMPLES[name])
        return [example_data(schema.get("items", {}), name, opened)]
    if kind == "string":
        return _string(schema, name)
    if kind == "integer":
        return max(schema.get("minimum", 1), 1)
    if kind == "number":
        return max(schema.get("minimum", 1.5), 1.5)
    if kind == "boolean":
        return True
    return None


def _string(schema: dict, name: str) -> str:
    if schema.get("format") in _FORMATS:
        return _FORMATS[schema["format"]](name)
    value = _SAMPLES.get(name, name.replace("_", " "))
    if not isinstance(value, str):
        value = name
    if "pattern" in schema:
        value = next((v for v in [value, *_PATTERNED] if re.search(schema["pattern"], v)), value)
    low, high = schema.get("minLength", 0), schema.get("maxLength", len(value))
    return value[:high].ljust(low, "x")


def stream_key(contract: EventContract, data: dict) -> str:
    """The record key (the stream id) for an example: `stream id: customer-<customer_id>` filled in."""
    template = contract.key.split(":", 1)[-1].strip()
    prefix, _, rest = template.partition("<")
    field = rest.split(">", 1)[0]
    value = data.get(field) or ("acme" if field == "tenant_id" else "1")
    return f"{prefix}{value}" if rest else template


def example_headers(contract: EventContract, data: dict) -> dict[str, str]:
    """The CloudEvents headers (Kafka binding, binary mode) an event of this contract travels with."""
    key = stream_key(contract, data)
    return {
        "ce_specversion": SPECVERSION,
        "ce_id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"portico:event:{contract.name}")),
        "ce_source": f"/portico/{contract.owner}",
        "ce_type": contract.type,
        "ce_subject": key,
        "ce_time": EXAMPLE_TIME,
        "ce_dataschema": dataschema_uri(contract.type, contract.version),
        "content-type": CONTENT_TYPE,
        "ce_schemaversion": str(contract.version),
        "ce_partitionkey": key,
        "ce_tenantid": "acme",
        "ce_actor": "staff-1",
        "ce_correlationid": "0b8f5a34-2f53-4c1e-9a4e-3f2b8c1d7e65",
        "ce_position": "42",
        "ce_streamversion": "1",
        "ce_traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    }
