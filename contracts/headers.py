"""The Kafka record headers every Portico event carries: CloudEvents 1.0, Kafka binding, binary mode.

This is the JSON Schema of what eventkit/cloudevents.py writes. Kafka header values are bytes; each
one here is the UTF-8 text of the value. The plain `traceparent` header repeats `ce_traceparent`
for tracers that know nothing of CloudEvents.
"""
from __future__ import annotations

from eventkit.cloudevents import CONTENT_TYPE, SPECVERSION, dataschema_uri

from .catalogue import EventContract

_UUID = {"type": "string", "format": "uuid"}
_DIGITS = {"type": "string", "pattern": "^[0-9]+$"}
_TRACEPARENT = {"type": "string", "pattern": "^00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}$"}

ATTRIBUTES = {
    "ce_specversion": ({"type": "string", "const": SPECVERSION}, "CloudEvents specversion."),
    "ce_id": (_UUID, "The event's id; a redelivered event has the same id (deduplicate on it)."),
    "ce_source": ({"type": "string", "format": "uri-reference", "pattern": "^/portico/[a-z]+$"},
                  "The publishing service, e.g. /portico/identity."),
    "ce_type": ({"type": "string"}, "The event type, e.g. portico.identity.customer.created."),
    "ce_time": ({"type": "string", "format": "date-time"}, "When it happened (RFC 3339, UTC)."),
    "ce_subject": ({"type": "string"}, "The stream (aggregate) the event belongs to, e.g. customer-<uuid>."),
    "ce_dataschema": ({"type": "string", "format": "uri"},
                      "The `$id` of the JSON Schema (2020-12) of the data, in contracts/schemas/."),
    "content-type": ({"type": "string", "const": CONTENT_TYPE}, "The data's media type (datacontenttype)."),
    "ce_schemaversion": (_DIGITS, "Extension: the version of the event type's schema."),
    "ce_partitionkey": ({"type": "string"}, "Extension: the record key, the stream id."),
    "ce_tenantid": ({"type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"},
                    "Extension: the tenant (the distributor running the portal)."),
    "ce_actor": ({"type": "string"}, "Extension: who asked for the change (a user, staff member or system)."),
    "ce_correlationid": (_UUID, "Extension: the request the event belongs to, across services."),
    "ce_causationid": (_UUID, "Extension: the event that caused this one, when one did."),
    "ce_position": (_DIGITS, "Extension: the event's position in its service's event store: unique, and "
                             "increasing in the order the service wrote its events."),
    "ce_streamversion": (_DIGITS, "Extension: the event's version within its stream (1, 2, ...)."),
    "ce_traceparent": (_TRACEPARENT, "Extension: W3C trace context of the request that wrote it."),
    "traceparent": (_TRACEPARENT, "W3C trace context, the same value as ce_traceparent."),
}
OPTIONAL = ("ce_causationid", "ce_traceparent", "traceparent")


def headers_schema() -> dict:
    """The headers every event has, whatever its type."""
    return {
        "type": "object",
        "description": "CloudEvents 1.0 attributes as Kafka headers (binary content mode).",
        "required": [name for name in ATTRIBUTES if name not in OPTIONAL],
        "properties": {name: {**schema, "description": text} for name, (schema, text) in ATTRIBUTES.items()},
    }


def contract_headers(contract: EventContract, common_ref: str) -> dict:
    """The headers of one event type and version: the common ones, with type and schema pinned."""
    return {"type": "object", "allOf": [{"$ref": common_ref}, {
        "type": "object",
        "properties": {
            "ce_type": {"const": contract.type},
            "ce_dataschema": {"const": dataschema_uri(contract.type, contract.version)},
            "ce_schemaversion": {"const": str(contract.version)},
            "ce_source": {"const": f"/portico/{contract.owner}"},
        },
    }]}
