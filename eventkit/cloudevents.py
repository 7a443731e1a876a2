"""CloudEvents 1.0 in the Kafka protocol binding, binary content mode.

Attributes travel as `ce_`-prefixed headers, `datacontenttype` as `content-type`, the data as the
record value and the `partitionkey` extension as the record key. Independent consumers read these
headers, so the names follow the specification, not our taste.
"""
from __future__ import annotations

import json
import uuid

import orjson
from datetime import datetime
from typing import Iterable

from .envelope import StoredEvent

SPECVERSION = "1.0"
CONTENT_TYPE = "application/json"


class MalformedEvent(ValueError):
    """A record that is not a CloudEvent Portico can read."""


def dataschema_uri(event_type: str, version: int) -> str:
    """Name the JSON Schema of one version of an event; contracts use it as the schema's $id."""
    return f"urn:portico:schema:{event_type}:{version}"


def to_record(event: StoredEvent, value: bytes | None = None) -> tuple[bytes, bytes, list[tuple[str, bytes]]]:
    """Turn a stored event into (key, value, headers) for a Kafka record; `value`: its data as JSON
    already (the relay's, as the database stored it)."""
    attributes = {
        "specversion": SPECVERSION,
        "id": str(event.id),
        "source": event.source,
        "type": event.type,
        "subject": event.stream_id,
        "time": event.occurred_at.isoformat().replace("+00:00", "Z"),
        "dataschema": dataschema_uri(event.type, event.version),
        # Extension attributes: lower-case letters and digits only, as the spec requires.
        "schemaversion": str(event.version),
        "partitionkey": event.stream_id,
        "tenantid": event.tenant_id,
        "actor": event.actor,
        "correlationid": str(event.correlation_id),
        "position": str(event.position),
        "streamversion": str(event.stream_version),
    }
    if event.causation_id:
        attributes["causationid"] = str(event.causation_id)
    if event.traceparent:
        attributes["traceparent"] = event.traceparent
    headers = [(f"ce_{name}", value.encode()) for name, value in attributes.items()]
    headers.append(("content-type", CONTENT_TYPE.encode()))
    if event.traceparent:
        # W3C trace context's own header, for tracers that know nothing of CloudEvents.
        headers.append(("traceparent", event.traceparent.encode()))
    if value is None:
        value = json.dumps(event.data, separators=(",", ":"), default=str).encode()
    return event.stream_id.encode(), value, headers


def _utf8(raw) -> bool:
    try:
        raw.decode()
        return True
    except (UnicodeDecodeError, AttributeError):
        return False


def from_record(value: bytes | None, headers: Iterable[tuple[str, bytes]]) -> StoredEvent:
    """Read a binary-mode CloudEvent back into the envelope; raise MalformedEvent if it isn't one."""
    try:  # one comprehension, not a loop: a consumer reads every record's fifteen headers
        attrs = {name[3:]: raw.decode() for name, raw in headers or () if name[:3] == "ce_"}
    except (UnicodeDecodeError, AttributeError) as error:
        bad = next(name for name, raw in headers if name[:3] == "ce_" and not _utf8(raw))
        raise MalformedEvent(f"header {bad} is not UTF-8") from error
    missing = [a for a in ("specversion", "id", "source", "type", "tenantid") if a not in attrs]
    if missing:
        raise MalformedEvent(f"missing CloudEvents attributes: {', '.join(missing)}")
    if attrs["specversion"] != SPECVERSION:
        raise MalformedEvent(f"unsupported specversion {attrs['specversion']}")
    try:
        # orjson refuses nesting past 1,024 levels with a ValueError; the standard library recursed
        # until RecursionError, which escaped the dead-letter path and stalled every consumer (issue 14).
        data = orjson.loads(value) if value else {}
        if not isinstance(data, dict):
            raise MalformedEvent("data is not a JSON object")
        return StoredEvent(
            position=int(attrs.get("position", 0)),
            stream_id=attrs.get("subject", ""),
            stream_type=attrs.get("subject", "").partition("-")[0],
            stream_version=int(attrs.get("streamversion", 0)),
            id=uuid.UUID(attrs["id"]),
            type=attrs["type"],
            version=int(attrs.get("schemaversion", 1)),
            tenant_id=attrs["tenantid"],
            occurred_at=datetime.fromisoformat(attrs["time"]),  # RFC 3339; Python reads its "Z" since 3.11
            actor=attrs.get("actor", ""),
            correlation_id=uuid.UUID(attrs["correlationid"]) if "correlationid" in attrs else uuid.uuid4(),
            causation_id=uuid.UUID(attrs["causationid"]) if "causationid" in attrs else None,
            traceparent=attrs.get("traceparent"),
            data=data,
            source=attrs["source"],
        )
    except (ValueError, KeyError) as error:
        if isinstance(error, MalformedEvent):
            raise
        raise MalformedEvent(str(error)) from error
