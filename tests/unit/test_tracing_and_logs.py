"""Trace context across Kafka and JSON log lines, without a broker or database."""
import io
import json
import logging
import sys
import uuid
import warnings
from datetime import datetime, timezone

import pytest

from eventkit import logs, tracing
from eventkit.envelope import StoredEvent

TRACE = "4bf92f3577b34da6a3ce929d0e0e4736"


def consumed(traceparent=f"00-{TRACE}-00f067aa0ba902b7-01"):
    return StoredEvent(7, "customer-1", "customer", 1, uuid.uuid4(), "portico.identity.customer.created", 1,
                       "demo", datetime.now(timezone.utc), "staff", uuid.uuid4(), None, traceparent, {})


def test_a_child_span_keeps_the_trace_id_and_takes_a_new_span_id():
    child = tracing.child_span(f"00-{TRACE}-00f067aa0ba902b7-01")
    version, trace_id, span_id, flags = child.split("-")
    assert (version, trace_id, flags) == ("00", TRACE, "01") and span_id != "00f067aa0ba902b7"


@pytest.mark.parametrize("header", [None, "", "garbage", f"00-{'0' * 32}-00f067aa0ba902b7-01"])
def test_without_a_valid_traceparent_a_new_trace_starts(header):
    assert tracing._TRACEPARENT.match(tracing.child_span(header))
    assert tracing.child_span(header).split("-")[1] != "0" * 32


def test_events_a_consumer_causes_carry_causation_correlation_and_the_trace():
    event = consumed()
    with tracing.consuming(event, "notifications.outbox.v1") as span:
        meta = tracing.caused_by("notifications")
    assert meta.causation_id == event.id and meta.correlation_id == event.correlation_id
    assert meta.tenant_id == "demo" and meta.traceparent.split("-")[1] == TRACE
    assert span.split("-")[1] == TRACE


def test_caused_by_outside_a_consumed_event_is_an_error_unless_told_the_event():
    with pytest.raises(RuntimeError):
        tracing.caused_by("x")
    assert tracing.caused_by("x", consumed()).causation_id is not None


@pytest.fixture
def log_lines():
    stream = io.StringIO()
    logs.configure("invitations", stream=stream)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logs.configure("invitations", stream=sys.stdout)


def test_a_consumers_log_lines_are_json_with_the_events_trace_and_correlation(log_lines):
    event = consumed()
    with tracing.consuming(event, "invitations.candidates.v1"):
        logging.getLogger("eventkit.consumer").info("event applied to %s", "candidates_v1")
    logging.getLogger("elsewhere").warning("after")
    applied, after = log_lines()
    assert applied["event"] == "event applied to candidates_v1" and applied["level"] == "info"
    assert applied["trace_id"] == TRACE and applied["span_id"] != "00f067aa0ba902b7"
    assert applied["correlation_id"] == str(event.correlation_id) and applied["tenant"] == "demo"
    assert applied["service"] == "invitations" and applied["event_id"] == str(event.id)
    assert "trace_id" not in after  # context ends with the event


def test_a_librarys_python_warning_is_logged_as_a_json_line_not_bare_text():
    out = io.StringIO()
    logging.captureWarnings(False)  # pytest records warnings itself: let configure take them over here
    logs.configure("identity", stream=out)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.warn("EdDSA is deprecated via RFC 9864", UserWarning)
    finally:
        logging.captureWarnings(False)
    [line] = [json.loads(text) for text in out.getvalue().splitlines()]
    assert line["level"] == "warning" and "EdDSA is deprecated" in line["event"] and line["service"] == "identity"
