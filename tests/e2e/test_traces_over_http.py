"""Spans an ops team's Jaeger or Tempo would show: the deployed services export them over OTLP (the stack
sets OTEL_EXPORTER_OTLP_ENDPOINT to a receiver in this test process), and a command's trace is one tree
from its HTTP request through identity's relay and every consumer that applies its event to the e-mail
sent."""
from __future__ import annotations

import secrets

import requests

from ..conftest import eventually

SERVER, CLIENT, PRODUCER, CONSUMER = 2, 3, 4, 5  # OTLP's SpanKind numbers


def test_a_registration_is_one_trace_from_the_request_to_the_email_sent(stack, otlp, tenant, http_staff_headers):
    identity = stack.url("identity")
    created = requests.post(f"{identity}/v1/tenants/{tenant}/customers", headers=http_staff_headers(tenant),
                            json={"code": "TR1", "name": "Traced Ltd", "receivable_account": "AR-TR1"}, timeout=10)
    assert created.status_code == 201, created.text
    trace_id, caller = secrets.token_hex(16), secrets.token_hex(8)  # as a portal frontend's own span would
    registered = requests.post(f"{identity}/v1/tenants/{tenant}/registrations", timeout=10,
                               headers={"traceparent": f"00-{trace_id}-{caller}-01"},
                               json={"username": "tracy.lee", "password": "Traced passphrase 7",
                                     "first_name": "Tracy", "last_name": "Lee", "emails": "tracy@traced.example",
                                     "customer_code": "TR1"})
    assert registered.status_code == 201, registered.text

    def whole():
        spans = otlp.trace(trace_id)
        kinds = {(s.service, s.kind) for s in spans}
        assert {("portico-identity", SERVER), ("portico-identity", PRODUCER), ("portico-invitations", CONSUMER),
                ("portico-notifications", CONSUMER), ("portico-notifications", CLIENT)} <= kinds, kinds
        return spans
    spans = eventually(whole, timeout=90)

    ids = {s.span_id for s in spans}
    assert [s.name for s in spans if s.parent_span_id == caller] == [
        s.name for s in spans if s.kind == SERVER and s.service == "portico-identity"]  # one root: the request
    orphans = [(s.service, s.name, s.parent_span_id) for s in spans if s.parent_span_id not in ids | {caller}]
    assert orphans == [], "every span's parent is in the trace"
    assert any(s.name == "send e-mail" for s in spans if s.kind == CLIENT)
