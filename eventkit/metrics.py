"""Every Prometheus metric Portico exposes, defined once so that names never drift between services.

Web apps run under gunicorn with several worker processes, so they use prometheus-client's
multiprocess mode (PROMETHEUS_MULTIPROC_DIR): /metrics adds up what every process recorded. A worker
process is one process and serves its own registry on its metrics port (eventkit/worker_http.py).
Values that live in the database (the outbox backlog) are read when scraped, not counted.
"""
from __future__ import annotations

import os

from prometheus_client import REGISTRY, CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client import multiprocess
from prometheus_client.core import GaugeMetricFamily

HTTP_LATENCY = Histogram(
    "portico_http_request_duration_seconds", "Time to answer an HTTP request, by route template and status.",
    ["service", "method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
HTTP_ERRORS = Counter(
    "portico_http_errors_total", "Requests answered with a 4xx or 5xx problem, by route template, status and code.",
    ["service", "method", "route", "status", "code"])
EVENTS_APPENDED = Counter(
    "portico_events_appended_total", "Events committed to the service's event store.", ["service", "type"])
EVENTS_PUBLISHED = Counter(
    "portico_events_published_total", "Events the outbox relay had acknowledged by Kafka.", ["topic"])
EVENTS_APPLIED = Counter(
    "portico_events_applied_total", "Events a consumer applied to its projection (redeliveries not counted).",
    ["consumer"])
DEAD_LETTERS = Counter(
    "portico_dead_letters_total", "Records a consumer could not apply and sent to the dead-letter topic.",
    ["consumer", "topic"])
CONSUMER_LAG = Gauge(
    "portico_consumer_lag", "Records on a partition that the consumer has not read yet (head minus position).",
    ["consumer", "topic", "partition"], multiprocess_mode="livemax")
PROJECTION_POSITION = Gauge(
    "portico_projection_position", "Offset of the last record a projection applied, per partition.",
    ["consumer", "topic", "partition"], multiprocess_mode="livemax")
EMAILS_SENT = Counter("portico_emails_sent_total", "E-mails the SMTP server accepted.", ["template"])
EMAILS_FAILED = Counter(
    "portico_emails_failed_total", "E-mails that could not be sent, by reason.", ["template", "reason"])


class OutboxBacklog:
    """A collector: the number of events waiting in the outbox, read from the table when scraped."""

    def __init__(self, pool, service: str):
        self.pool, self.service = pool, service

    def collect(self):
        family = GaugeMetricFamily("portico_outbox_backlog", "Events committed but not yet published to Kafka.",
                                   labels=["service"])
        try:
            with self.pool.connection(timeout=2) as conn:
                count = conn.execute("SELECT count(*) AS n FROM outbox").fetchone()["n"]
            family.add_metric([self.service], count)
        except Exception:  # a scrape must not fail because the database is away; readiness says so
            pass
        yield family


# Who holds the relay's advisory lock in this database (pg_locks is the whole server's; the lock,
# eventkit/outbox.py's RELAY_LOCK, is a bigint: classid holds its high half, objid its low half), named by
# the holder's application_name (a worker sets PGAPPNAME: eventkit/observability.py).
RELAY_HOLDER = """
SELECT a.application_name, a.pid, host(a.client_addr) AS client_addr, a.client_port
FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
  AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
  AND ((l.classid::bigint << 32) | l.objid::bigint) = %s
"""


class RelayLeadership:
    """A collector: 1 when this process's relay holds its database's relay lock, else 0, read when scraped."""

    def __init__(self, pool, service: str, lock: int, application_name: str):
        self.pool, self.service, self.lock, self.application_name = pool, service, lock, application_name

    def collect(self):
        family = GaugeMetricFamily("portico_relay_leader",
                                   "1 when this worker's relay holds the service's relay lock and publishes.",
                                   labels=["service"])
        try:
            with self.pool.connection(timeout=2) as conn:
                holders = [r["application_name"] for r in conn.execute(RELAY_HOLDER, (self.lock,))]
            family.add_metric([self.service], 1 if self.application_name in holders else 0)
        except Exception:  # as the backlog: readiness reports an absent database, not the scrape
            pass
        yield family


class _Delegate:
    def __init__(self, registry):
        self.registry = registry

    def collect(self):
        return self.registry.collect()


def registry_for(pool, service: str) -> CollectorRegistry:
    """What one process exposes: every process's metrics in multiprocess mode, else its own, plus
    the outbox backlog of the service's database."""
    registry = CollectorRegistry()  # no auto_describe: it would collect (query the outbox) at start-up
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.MultiProcessCollector(registry)
    else:
        registry.register(_Delegate(REGISTRY))
    registry.register(OutboxBacklog(pool, service))
    return registry


# The Prometheus text format that generate_latest writes, as a complete media type.
CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"


def exposition(registry: CollectorRegistry) -> bytes:
    return generate_latest(registry)
