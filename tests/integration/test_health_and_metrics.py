"""Readiness names the dependency that is away; /metrics exposes every metric the services define."""
from __future__ import annotations

import socket

import pytest
import requests
from prometheus_client.parser import text_string_to_metric_families
from flask import Flask
from psycopg_pool import ConnectionPool

from eventkit import health, metrics, readiness, worker_http
from invitations.entrypoints.app import create_app

from ..fixtures.settings import service_settings


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # nothing listens once the socket is closed


@pytest.fixture(scope="module")
def app_without_broker(infra, database, topic_prefix):
    """The invitations app on the real database, told that the broker is at a closed port."""
    settings = {**service_settings(infra, database, topic_prefix, "invitations"),
                "KAFKA_BOOTSTRAP": f"127.0.0.1:{closed_port()}"}
    app = create_app(settings)
    yield app
    app.extensions["invitations"].close()


def test_ready_when_database_and_broker_answer(invitations):
    ready = invitations.get("/health/ready")
    assert ready.status_code == 200
    assert ready.json == {"status": "ok", "checks": {"database": "ok", "broker": "ok"}}


def test_an_unreachable_broker_is_named_and_the_database_still_answers(app_without_broker):
    client = app_without_broker.test_client()
    ready = client.get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["unavailable"] == ["broker"] and ready.json["checks"]["database"] == "ok"
    assert ready.json["checks"]["broker"].startswith("unreachable: ")
    assert client.get("/health/live").status_code == 200  # alive: the process itself is fine
    # Commands go to the outbox while the broker is away, so the web app still serves: its load
    # balancer probe asks for the database only.
    assert client.get("/health/ready?check=database").status_code == 200


def test_an_unreachable_database_is_named_apart_from_the_broker(infra):
    pool = ConnectionPool(f"postgresql://nobody:nothing@127.0.0.1:{closed_port()}/none", open=False)
    app = Flask("probe")
    health.init_app(app, pool, infra.kafka_bootstrap)
    ready = app.test_client().get("/health/ready")
    assert ready.status_code == 503
    assert ready.json["unavailable"] == ["database"] and ready.json["checks"]["broker"] == "ok"


def test_a_workers_port_serves_metrics_liveness_and_readiness(invitations_app, infra):
    pool = invitations_app.extensions["invitations"].pool
    checks = {"database": readiness.database(pool), "broker": readiness.broker(f"127.0.0.1:{closed_port()}")}
    alive = {"now": True}
    server = worker_http.serve(0, metrics.registry_for(pool, "invitations"), checks, lambda: alive["now"],
                               host="127.0.0.1")
    url = f"http://127.0.0.1:{server.server_port}"
    try:
        served = requests.get(f"{url}/metrics", timeout=5)
        assert "portico_outbox_backlog" in served.text
        assert served.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
        assert requests.get(f"{url}/health/live", timeout=5).status_code == 200
        ready = requests.get(f"{url}/health/ready", timeout=10)
        assert ready.status_code == 503 and ready.json()["unavailable"] == ["broker"]
        alive["now"] = False  # a loop thread died
        assert requests.get(f"{url}/health/live", timeout=5).status_code == 503
    finally:
        server.shutdown()


METRICS = ["portico_http_request_duration_seconds", "portico_http_errors_total", "portico_events_appended_total",
           "portico_events_published_total", "portico_outbox_backlog", "portico_consumer_lag",
           "portico_projection_position", "portico_dead_letters_total", "portico_events_applied_total",
           "portico_emails_sent_total", "portico_emails_failed_total"]


def test_metrics_name_every_measure_with_route_templates(identity, invitations, staff_headers, pipeline, tenant):
    identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                  json={"code": "MX1", "name": "Metrics Ltd", "receivable_account": "1"})
    identity.get(f"/v1/tenants/{tenant}/customers/NOPE", headers=staff_headers(tenant))
    text = identity.get("/metrics").get_data(as_text=True)
    for name in METRICS:
        assert f"# TYPE {name} " in text, name
    assert ('portico_http_request_duration_seconds_count{method="POST",route="/v1/tenants/<tenant_id>/customers",'
            'service="identity",status="201"}') in text
    assert 'portico_events_appended_total{service="identity",type="portico.identity.customer.created"}' in text
    assert 'portico_outbox_backlog{service="identity"}' in text
    assert "portico_outbox_backlog" in invitations.get("/metrics").get_data(as_text=True)


def test_metrics_are_served_as_the_prometheus_text_format_a_scraper_parses(identity):
    served = identity.get("/metrics")
    assert served.headers["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"  # one charset
    families = {f.name for f in text_string_to_metric_families(served.get_data(as_text=True))}
    assert "portico_http_request_duration_seconds" in families
