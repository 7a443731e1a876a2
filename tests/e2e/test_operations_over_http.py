"""Operations as deployed: metrics from gunicorn's processes and the worker's port, JSON logs, and one
request's trace followed from the API through the relay and Kafka into a consumer's log lines."""
from __future__ import annotations

import json
import uuid

import requests

from ..conftest import eventually

TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def json_lines(stack, name):
    lines = []
    for line in stack.log_lines(name):
        if line.startswith("{"):
            lines.append(json.loads(line))
    return lines


def test_one_requests_trace_is_followed_from_the_api_into_the_consumers_logs(stack, tenant, http_staff_headers):
    trace_id, correlation_id = uuid.uuid4().hex, str(uuid.uuid4())
    created = requests.post(f"{stack.url('identity')}/v1/tenants/{tenant}/customers", timeout=10,
                            json={"code": "TR1", "name": "Traced Ltd", "receivable_account": "1"},
                            headers={"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01",
                                     "X-Correlation-ID": correlation_id, **http_staff_headers(tenant)})
    assert created.status_code == 201, created.text
    assert created.headers["traceparent"].split("-")[1] == trace_id

    def consumer_logged():
        applied = [line for line in json_lines(stack, "invitations-worker")
                   if line.get("trace_id") == trace_id and line["event"].startswith("event applied")]
        assert applied
        return applied[0]

    line = eventually(consumer_logged)
    assert line["correlation_id"] == correlation_id and line["tenant"] == tenant
    assert line["span_id"] != "00f067aa0ba902b7"  # a span of its own in the same trace
    assert line["event_type"] == "portico.identity.customer.created" and line["service"] == "invitations"
    [request_line] = [r for r in json_lines(stack, "identity-web") if r.get("correlation_id") == correlation_id]
    assert request_line["trace_id"] == trace_id and request_line["status"] == 201
    assert request_line["route"] == "/v1/tenants/<tenant_id>/customers"


def test_every_log_line_of_the_services_is_json(stack, tenant):
    requests.get(f"{stack.url('invitations')}/v1/tenants/{tenant}/candidates", timeout=10)
    requests.get(f"{stack.url('identity')}/v1/tenants/{tenant}/customers", timeout=10)
    for name in ("identity-web", "identity-worker", "invitations-web", "invitations-worker"):
        lines = stack.log_lines(name)
        assert lines and all(json.loads(line)["level"] for line in lines), name  # gunicorn's own lines too


def test_web_metrics_add_up_every_gunicorn_process(stack, tenant, http_staff_headers):
    identity = stack.url("identity")
    for n in range(6):  # two processes answer these; /metrics must count all six
        requests.get(f"{identity}/v1/tenants/{tenant}/customers/NOPE{n}", timeout=10,
                     headers=http_staff_headers(tenant))
    text = requests.get(f"{identity}/metrics", timeout=10).text
    route = 'route="/v1/tenants/<tenant_id>/customers/<code>"'
    [count] = [line for line in text.splitlines()
               if line.startswith("portico_http_request_duration_seconds_count") and route in line
               and 'status="404"' in line]
    assert float(count.rsplit(" ", 1)[1]) >= 6
    assert "portico_http_errors_total{" in text and 'code="customer.not_found"' in text
    assert 'portico_outbox_backlog{service="identity"}' in text


def test_workers_expose_metrics_and_health_on_their_own_port(stack, tenant, http_staff_headers):
    requests.post(f"{stack.url('identity')}/v1/tenants/{tenant}/customers", timeout=10,
                  headers=http_staff_headers(tenant),
                  json={"code": "M1", "name": "Metered Ltd", "receivable_account": "1"})

    def counted():
        identity = requests.get(f"{stack.worker_urls['identity']}/metrics", timeout=5).text
        invitations = requests.get(f"{stack.worker_urls['invitations']}/metrics", timeout=5).text
        assert "portico_events_published_total{" in identity
        assert "portico_events_applied_total{" in invitations and "portico_projection_position{" in invitations
        assert "portico_consumer_lag{" in invitations

    eventually(counted)
    for service in ("identity", "invitations"):
        assert requests.get(f"{stack.worker_urls[service]}/health/live", timeout=5).json() == {"status": "ok"}
        ready = requests.get(f"{stack.worker_urls[service]}/health/ready", timeout=10).json()
        assert ready == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}
