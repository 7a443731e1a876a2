"""OpenTelemetry spans, exported over OTLP when the standard OTEL_* variables ask for it, off otherwise.

Portico already carries W3C trace context everywhere (eventkit/requests.py for HTTP, the CloudEvents
`traceparent` through Kafka, eventkit/tracing.py in consumers); this module makes the spans those
traceparents name real and exported, so an ops team's Jaeger or Tempo shows one tree from the HTTP
command through the outbox relay and every consumer to the e-mail sent.

Tracing is on when OTEL_TRACES_EXPORTER is `otlp` or OTEL_EXPORTER_OTLP_ENDPOINT /
OTEL_EXPORTER_OTLP_TRACES_ENDPOINT is set (and OTEL_SDK_DISABLED is not `true`); everything else the
exporter needs (headers, timeout, protocol details, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES) it
reads itself. Off, `span()` costs what it did before: a new span id in the same trace, nothing sent.
"""
from __future__ import annotations

import contextlib
import os

from opentelemetry import trace
from opentelemetry.trace import SpanKind, format_span_id, format_trace_id
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

_PROPAGATOR = TraceContextTextMapPropagator()
_TRACER = "portico"
# This process's tracer provider once configure() made one; None: tracing is off. Kept here rather
# than as OpenTelemetry's global, so a test can switch it on and off again (reset()).
_provider = None


def enabled(environ=os.environ) -> bool:
    """Whether the OTEL_* variables ask for traces to be exported."""
    if environ.get("OTEL_SDK_DISABLED", "").lower() == "true":
        return False
    exporter = environ.get("OTEL_TRACES_EXPORTER", "").lower()
    if exporter == "none":
        return False
    return exporter == "otlp" or bool(environ.get("OTEL_EXPORTER_OTLP_ENDPOINT")
                                      or environ.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))


def configure(service: str, exporter=None) -> bool:
    """Make this process's tracer provider (once); `exporter` replaces OTLP, for tests."""
    global _provider
    if _provider is not None:
        return True
    if exporter is None and not enabled():
        return False
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    if exporter is None:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
        exporter = OTLPSpanExporter()
    # Resource.create adds OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES, which win over ours.
    resource = Resource.create({"service.name": f"portico-{service}", "service.namespace": "portico"})
    _provider = TracerProvider(resource=resource)
    _provider.add_span_processor(BatchSpanProcessor(exporter))
    return True


def reset() -> None:
    """Send what is buffered and switch tracing off again (tests)."""
    global _provider
    if _provider is not None:
        _provider.shutdown()
    _provider = None


def instrument_app(app) -> None:
    """Server spans for a Flask app's requests, continuing the caller's traceparent."""
    if _provider is None:
        return
    from opentelemetry.instrumentation.flask import FlaskInstrumentor

    FlaskInstrumentor().instrument_app(app, excluded_urls="health/.*,metrics", tracer_provider=_provider)
    # Its span must exist before eventkit.requests reads the trace context for the request's events
    # and log lines, though requests.init_app registered its hook first: run the span's hook first.
    hooks = app.before_request_funcs.setdefault(None, [])
    started = [hook for hook in hooks if hook.__module__.startswith("opentelemetry.")]
    app.before_request_funcs[None] = started + [hook for hook in hooks if hook not in started]


def current_traceparent() -> str | None:
    """The traceparent of the span being recorded now, or None when none is (tracing off)."""
    context = trace.get_current_span().get_span_context()
    if not context.is_valid:
        return None
    return f"00-{format_trace_id(context.trace_id)}-{format_span_id(context.span_id)}-{context.trace_flags:02x}"


@contextlib.contextmanager
def span(name: str, parent: str | None, kind: SpanKind = SpanKind.INTERNAL, attributes: dict | None = None):
    """Work inside a span that continues `parent` (a traceparent); yields the span's own traceparent."""
    if _provider is None:
        from .tracing import child_span  # tracing imports this module

        yield child_span(parent)
        return
    context = _PROPAGATOR.extract({"traceparent": parent}) if parent else None
    with _provider.get_tracer(_TRACER).start_as_current_span(name, context=context, kind=kind,
                                                          attributes=attributes or {}):
        yield current_traceparent()


def on() -> bool:
    """Whether this process exports spans."""
    return _provider is not None


def record(name: str, parent: str | None, kind: SpanKind, start_ns: int, end_ns: int,
           attributes: dict | None = None) -> None:
    """A span for work already done (e.g. an event applied within a batch), continuing `parent`."""
    if _provider is None:
        return
    context = _PROPAGATOR.extract({"traceparent": parent}) if parent else None
    span = _provider.get_tracer(_TRACER).start_span(name, context=context, kind=kind, attributes=attributes or {},
                                                    start_time=start_ns)
    span.end(end_time=end_ns)


def flush(timeout_millis: int = 5000) -> None:
    """Send what is buffered now (the provider also does on the process's way out)."""
    if _provider is not None:
        _provider.force_flush(timeout_millis)
