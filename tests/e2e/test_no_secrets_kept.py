"""No secret in any log line, event or table: after a whole lifecycle over HTTP (registration, approval,
login, refresh, a reset request), the passwords and raw tokens it used are searched for in every log
file of the deployed stack, every record of its topics and every row of every table of its databases."""
from __future__ import annotations

import uuid

import psycopg
import requests
from kafka import KafkaConsumer

from .. import kafka_topic
from ..conftest import eventually
from ..lifecycle_stream import PASSWORD, Stream, http_call

SERVICES = ("identity", "invitations")


def test_the_passwords_and_tokens_of_a_whole_scenario_are_nowhere_in_logs_topics_or_tables(
        stack, infra, database, topic_prefix, tenant, http_staff_headers):
    admin = http_staff_headers(tenant)
    stream = Stream(http_call(stack.url("identity")), tenant, admin)
    stream.lifecycle(0)
    assert stream.users, stream.refusals
    identity = f"{stack.url('identity')}/v1/tenants/{tenant}"
    login = requests.post(f"{identity}/auth/login", json={"username": "user.0", "password": PASSWORD},
                          timeout=10)
    assert login.status_code == 200, login.text
    refreshed = requests.post(f"{identity}/auth/refresh", json={"refresh_token": login.json()["refresh_token"]},
                              timeout=10)
    assert refreshed.status_code == 200, refreshed.text
    requests.post(f"{identity}/auth/forgot-password", json={"username": "user.0"}, timeout=10)
    secrets = {"password": PASSWORD, "admin password": "end-to-end passphrase 7",
               "access token": login.json()["access_token"], "refresh token": login.json()["refresh_token"],
               "rotated refresh token": refreshed.json()["refresh_token"],
               "staff token": admin["Authorization"].split()[1]}

    for service in SERVICES:  # everything the scenario wrote is on Kafka before the topics are read
        eventually(lambda: _assert_published(database(f"e2e_{service}")))
    places = {**_logs(stack), **_topics(infra.kafka_bootstrap, f"{topic_prefix}e2e."),
              **{k: v for s in SERVICES for k, v in _tables(database(f"e2e_{s}"), s).items()}}
    found = [(what, where) for where, text in places.items() for what, secret in secrets.items() if secret in text]
    print(f"[no secrets] places={len(places)} bytes={sum(len(t) for t in places.values())} found={len(found)}")
    assert found == []


def _logs(stack) -> dict[str, str]:
    return {f"log {path.name}": path.read_text(errors="replace") for path in stack.log_dir.glob("*.log")}


def _assert_published(dsn: str) -> None:
    with psycopg.connect(dsn) as conn:
        assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == 0


def _topics(bootstrap: str, prefix: str) -> dict[str, str]:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=None, client_id=f"secrets-{uuid.uuid4().hex[:6]}")
    try:
        topics = [t for t in consumer.topics() if t.startswith(prefix)]
    finally:
        consumer.close()
    return {f"topic {topic}": "\n".join(repr(r.value) + repr(r.headers) + (r.value or b"").decode(errors="replace")
                                        for r in kafka_topic.records(bootstrap, topic)) for topic in topics}


def _tables(dsn: str, service: str) -> dict[str, str]:
    with psycopg.connect(dsn) as conn:
        names = [n for (n,) in conn.execute("SELECT table_name FROM information_schema.tables"
                                            " WHERE table_schema = 'public' AND table_type = 'BASE TABLE'")]
        return {f"table {service}.{name}": "\n".join(
            row for (row,) in conn.execute(f'SELECT t::text FROM "{name}" t')) for name in names}
