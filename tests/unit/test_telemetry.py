"""OpenTelemetry spans: off unless the OTEL_* variables ask, and on, one tree from a request through
the consumers of its events (the SDK's in-memory exporter in place of OTLP)."""
import uuid
from datetime import datetime, timezone

import pytest
from flask import Flask
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from eventkit import requests, telemetry, tracing
from eventkit.envelope import StoredEvent

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"
CALLER = f"00-{TRACE}-00f067aa0ba902b7-01"


@pytest.mark.parametrize("environ, on", [
    ({}, False),
    ({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, True),
    ({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"}, True),
    ({"OTEL_TRACES_EXPORTER": "otlp"}, True),
    ({"OTEL_TRACES_EXPORTER": "none", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, False),
    ({"OTEL_SDK_DISABLED": "true", "OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"}, False),
])
def test_tracing_is_on_only_when_the_standard_variables_ask_for_it(environ, on):
    assert telemetry.enabled(environ) is on


def test_off_a_span_is_only_a_new_span_id_in_the_same_trace():
    assert not telemetry.enabled(), "an OTEL_* variable of the environment switched tracing on"
    assert telemetry.configure("test") is False
    with telemetry.span("work", CALLER) as traceparent:
        assert traceparent.split("-")[1] == TRACE and traceparent.split("-")[2] != "00f067aa0ba902b7"


@pytest.fixture
def exported():
    spans = InMemorySpanExporter()
    telemetry.configure("test", exporter=spans)
    yield spans
    telemetry.reset()


def consumed(traceparent: str, event_type: str) -> StoredEvent:
    return StoredEvent(7, "user-1", "user", 1, uuid.uuid4(), event_type, 1, "demo", datetime.now(timezone.utc),
                       "staff", uuid.uuid4(), None, traceparent, {})


def test_a_request_and_the_consumers_of_its_events_make_one_tree_of_exported_spans(exported):
    app = Flask(__name__)
    requests.init_app(app)
    telemetry.instrument_app(app)

    @app.post("/v1/tenants/demo/things")
    def command():
        return {"traceparent": requests.metadata("demo", "staff").traceparent}

    stored = app.test_client().post("/v1/tenants/demo/things", headers={"traceparent": CALLER}).json["traceparent"]
    with tracing.consuming(consumed(stored, "portico.identity.user.registered"), "invitations.candidates.v1"):
        caused = tracing.caused_by("invitations").traceparent
    with tracing.consuming(consumed(caused, "portico.invitations.invitation.accepted"), "notifications.mailings.v1"):
        pass
    telemetry.flush()

    spans = {format(s.context.span_id, "016x"): s for s in exported.get_finished_spans()}
    assert {format(s.context.trace_id, "032x") for s in spans.values()} == {TRACE}
    server, first, second = sorted(spans.values(), key=lambda s: s.start_time)
    assert server.kind == SpanKind.SERVER and format(server.parent.span_id, "016x") == "00f067aa0ba902b7"
    assert (first.kind, first.name) == (SpanKind.CONSUMER, "apply portico.identity.user.registered")
    assert first.parent.span_id == server.context.span_id  # the stored traceparent is the server span's
    assert second.parent.span_id == first.context.span_id  # caused_by carries the consumer's span
    assert server.resource.attributes["service.name"] == "portico-test"
