"""W3C trace context across Kafka: a consumer continues the trace of the request that wrote an event.

The relay puts the request's `traceparent` on every record (CloudEvents' distributed-tracing
extension, eventkit/cloudevents.py). While applying an event, the consumer runner works in a child
span of it: same trace id, new span id (a real span, exported, when eventkit/telemetry.py is on).
Events a consumer causes (`caused_by`) carry that traceparent, the consumed event's correlation id,
and the consumed event's id as causation id.
"""
from __future__ import annotations

import contextlib
import contextvars
import re
import secrets

import structlog

from . import telemetry
from .envelope import Metadata, StoredEvent
from .logs import trace_fields

_TRACEPARENT = re.compile(r"^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$")
_consuming: contextvars.ContextVar[tuple[StoredEvent, str] | None] = contextvars.ContextVar(
    "portico_consuming", default=None)


def child_span(traceparent: str | None) -> str:
    """A new span in the same trace, or a new trace when there is none (or it is malformed)."""
    match = _TRACEPARENT.fullmatch(traceparent or "")
    if not match or match.group(1) == "0" * 32:
        return f"00-{secrets.token_hex(16)}-{secrets.token_hex(8)}-01"
    return f"00-{match.group(1)}-{secrets.token_hex(8)}-{match.group(3)}"


@contextlib.contextmanager
def consuming(event: StoredEvent, consumer: str):
    """Work on one consumed event: bind its trace, correlation and tenant to every log line."""
    attributes = {"messaging.system": "kafka", "messaging.operation.type": "process",
                  "messaging.consumer.group.name": consumer, "messaging.message.id": str(event.id),
                  "cloudevents.event_type": event.type, "portico.tenant": event.tenant_id}
    with telemetry.span(f"apply {event.type}", event.traceparent, telemetry.SpanKind.CONSUMER,
                        attributes) as span:
        token = _consuming.set((event, span))
        context = dict(correlation_id=str(event.correlation_id), tenant=event.tenant_id, consumer=consumer,
                       event_id=str(event.id), event_type=event.type, **trace_fields(span))
        with structlog.contextvars.bound_contextvars(**context):
            try:
                yield span
            finally:
                _consuming.reset(token)


def caused_by(actor: str, event: StoredEvent | None = None) -> Metadata:
    """Metadata for events appended because of the event being consumed (or the one given)."""
    current = _consuming.get()
    if event is None and current is None:
        raise RuntimeError("caused_by() outside a consumed event: pass the event that causes this")
    source, span = (event, child_span(event.traceparent)) if event is not None else current
    return Metadata(tenant_id=source.tenant_id, actor=actor, correlation_id=source.correlation_id,
                    causation_id=source.id, traceparent=span)
