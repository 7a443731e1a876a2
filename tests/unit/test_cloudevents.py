"""Portico events on Kafka follow the CloudEvents 1.0 Kafka binding (binary mode)."""
import json
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.batch import peek
from eventkit.cloudevents import MalformedEvent, from_record, to_record
from eventkit.envelope import StoredEvent


def stored(**overrides):
    fields = dict(position=42, stream_id="customer-1", stream_type="customer", stream_version=3,
                  id=uuid.uuid4(), type="portico.identity.customer.created", version=1, tenant_id="demo",
                  occurred_at=datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc), actor="staff-1",
                  correlation_id=uuid.uuid4(), causation_id=None,
                  traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                  data={"code": "A1"}, source="/portico/identity")
    fields.update(overrides)
    return StoredEvent(**fields)


def test_attributes_travel_as_ce_headers_and_the_key_is_the_stream():
    event = stored()
    key, value, headers = to_record(event)
    h = {name: raw.decode() for name, raw in headers}

    assert key == b"customer-1"
    assert json.loads(value) == {"code": "A1"}
    assert h["ce_specversion"] == "1.0"
    assert h["ce_id"] == str(event.id)
    assert h["ce_source"] == "/portico/identity"
    assert h["ce_type"] == "portico.identity.customer.created"
    assert h["ce_time"] == "2026-11-28T12:00:00Z"
    assert h["ce_subject"] == "customer-1"
    assert h["ce_dataschema"] == "urn:portico:schema:portico.identity.customer.created:1"
    assert h["content-type"] == "application/json"
    assert h["ce_partitionkey"] == "customer-1"
    assert h["traceparent"] == h["ce_traceparent"] == event.traceparent
    assert "ce_datacontenttype" not in h  # binary mode: it is the content-type header


def test_extension_names_are_lowercase_alphanumeric_as_the_spec_requires():
    _, _, headers = to_record(stored())
    names = [n[3:] for n, _ in headers if n.startswith("ce_")]
    assert all(n.isalnum() and n.islower() for n in names), names


def test_a_record_reads_back_into_the_same_event():
    event = stored(causation_id=uuid.uuid4())
    key, value, headers = to_record(event)
    assert from_record(value, headers) == event
    assert from_record(value, peek(headers)[2]) == event  # the headers a consumer made a dict of already
    assert peek(headers)[:2] == (event.type, event.position)


@pytest.mark.parametrize("value, headers, reason", [
    (b"{}", [], "missing CloudEvents attributes"),
    (b"not json", [(n, v) for n, v in to_record(stored())[2]], "invalid literal"),
    (b"[1]", [(n, v) for n, v in to_record(stored())[2]], "not a JSON object"),
    (b"{}", [("ce_specversion", b"0.3"), ("ce_id", b"x"), ("ce_source", b"s"), ("ce_type", b"t"),
             ("ce_tenantid", b"demo")], "unsupported specversion"),
])
def test_anything_else_is_malformed(value, headers, reason):
    with pytest.raises(MalformedEvent, match=reason):
        from_record(value, headers)


def _with(name, raw):
    return [(n, raw if n == name else v) for n, v in to_record(stored(causation_id=uuid.uuid4()))[2]]


@pytest.mark.parametrize("name", ["ce_id", "ce_subject", "ce_actor", "ce_causationid", "ce_traceparent"])
def test_a_header_that_is_not_utf8_is_named(name):
    with pytest.raises(MalformedEvent, match=f"header {name} is not UTF-8"):
        from_record(b"{}", _with(name, b"\xff\xfe"))


@pytest.mark.parametrize("name, raw", [("ce_id", b"not-a-uuid"), ("ce_time", b"yesterday"),
                                       ("ce_position", b"first"), ("ce_correlationid", b"42")])
def test_an_attribute_that_does_not_read_as_its_type_is_malformed(name, raw):
    with pytest.raises(MalformedEvent):
        from_record(b"{}", _with(name, raw))


def test_optional_attributes_may_be_absent():
    headers = [(n, v) for n, v in to_record(stored(traceparent=None))[2]
               if n not in ("ce_actor", "ce_position", "ce_streamversion", "ce_schemaversion", "ce_correlationid")]
    event = from_record(b"{}", headers)
    assert (event.actor, event.position, event.stream_version, event.version, event.traceparent,
            event.causation_id) == ("", 0, 0, 1, None, None)
    assert isinstance(event.correlation_id, uuid.UUID)


def test_the_cloudevents_sdk_reads_a_record_as_the_same_event():
    """The CloudEvents Python SDK's Kafka binding, which no one here wrote, parses what the relay publishes."""
    from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event

    event = stored()
    key, value, headers = to_record(event)
    read = from_binary_event(KafkaMessage(headers=dict(headers), key=key, value=value))

    assert (read.get_id(), read.get_source(), read.get_type(), read.get_subject()) == (
        str(event.id), "/portico/identity", "portico.identity.customer.created", "customer-1")
    assert read.get_specversion() == "1.0" and read.get_time() == event.occurred_at
    assert read.get_datacontenttype() == "application/json" and read.get_data() == {"code": "A1"}
    assert read.get_dataschema() == "urn:portico:schema:portico.identity.customer.created:1"
    assert read.get_extension("tenantid") == "demo" and read.get_extension("partitionkey") == "customer-1"
