"""The fault suite over the real broker and database: a steady stream of account lifecycles while a part
fails, then an audit that every acknowledged command is in the store, on Kafka and in every projection
exactly once, and that nothing was half-applied. Short forms run in `make test`; PORTICO_FULL_FAULTS=1
runs the issue's full lengths. Each scenario prints what it drove and what it found."""
from __future__ import annotations

import json
import os
from collections import Counter
import subprocess
import threading
import time
import uuid

import psycopg
import pytest
from kafka import KafkaProducer

from ..infra import ROOT
from ..lifecycle_stream import Stream, audit, flask_call, settled
from .test_relay_and_consumer import ce, records_of

FULL = os.environ.get("PORTICO_FULL_FAULTS") == "1"
BROKER_DOWN = 30 if FULL else 6
DATABASE_DOWN = 10 if FULL else 3
SMTP_DOWN = 60 if FULL else 8


@pytest.fixture
def dsns(database):
    return {service: database(service) for service in ("identity", "invitations", "documents", "notifications")}


def _drive_around(stream: Stream, fault, before: float = 2.0, after: float = 3.0) -> None:
    """Run the stream, break a part mid-way (fault() returns once it is back), run on a little, stop."""
    thread = stream.start()
    time.sleep(before)
    try:
        fault()
    finally:
        time.sleep(after)
        stream.stop.set()
        thread.join(timeout=120)


def _postgres(action: str) -> None:
    subprocess.run(["bash", str(ROOT / "deploy" / "local" / "postgres.sh"), action], check=True,
                   stdout=subprocess.DEVNULL)


def _down_for(seconds: float, stop, start):
    """A fault: stop a part, leave it down for `seconds`, start it again (whatever happens meanwhile)."""
    def fault():
        stop()
        try:
            time.sleep(seconds)
        finally:
            start()
    return fault


def _settled_audit(stream, dsns, infra, topic_prefix, timeout: float = 180):
    """The stream's audit, e-mails included, once the projections and the sender have caught up."""
    return settled(lambda: audit(stream, dsns, infra.kafka_bootstrap, topic_prefix, maildir=infra.maildir),
                   timeout=timeout)


@pytest.mark.fault
def test_a_broker_killed_mid_stream_loses_and_duplicates_nothing(
        identity, pipeline, infra, topic_prefix, tenant, staff_headers, dsns):
    stream, during = Stream(flask_call(identity), tenant, staff_headers(tenant)), {}

    def while_down():
        before = set(stream.customers)
        time.sleep(BROKER_DOWN)
        during.update({code: stream.customers[code] for code in set(stream.customers) - before})

    _drive_around(stream, _down_for(0, lambda: (infra.stop_kafka(), while_down()), infra.start_kafka))
    result = _settled_audit(stream, dsns, infra, topic_prefix)
    print(result.report(f"broker down {BROKER_DOWN} s"), f"customers_created_while_down={len(during)}")
    assert during  # commands kept succeeding while the broker was away
    result.assert_clean()  # and each of them, like every other, is in every projection once
    written_while_down = {f"customer-{customer_id}".encode() for customer_id in during.values()}
    published = Counter(r.key for r in records_of(infra, topic_prefix + "portico.identity")
                        if r.key in written_while_down and ce(r)["ce_type"] == "portico.identity.customer.created")
    assert published == Counter(written_while_down)  # published after the broker came back, each once


@pytest.mark.fault
def test_postgresql_restarted_mid_stream_answers_503_and_half_applies_nothing(
        identity, pipeline, infra, topic_prefix, tenant, staff_headers, dsns):
    stream = Stream(flask_call(identity), tenant, staff_headers(tenant))

    _drive_around(stream, _down_for(DATABASE_DOWN, lambda: _postgres("stop"), lambda: _postgres("start")), after=5.0)
    result = _settled_audit(stream, dsns, infra, topic_prefix)
    print(result.report(f"postgresql down {DATABASE_DOWN} s"))
    assert stream.statuses[503] > 0, stream.statuses  # the outage was seen, and answered with a 503
    result.assert_clean()


@pytest.mark.fault
def test_the_smtp_sink_refusing_connections_delays_the_emails_and_each_still_arrives_once(
        identity, pipeline, infra, topic_prefix, tenant, staff_headers, dsns):
    stream = Stream(flask_call(identity), tenant, staff_headers(tenant))

    _drive_around(stream, _down_for(SMTP_DOWN, infra.stop_smtp, infra.start_smtp))
    result = _settled_audit(stream, dsns, infra, topic_prefix)
    with psycopg.connect(dsns["notifications"]) as conn:
        retried = conn.execute("SELECT count(*) FROM deliveries WHERE tenant_id = %s AND attempts > 1",
                               (tenant,)).fetchone()[0]
    print(result.report(f"smtp sink down {SMTP_DOWN} s"), f"deliveries_retried={retried}")
    assert retried > 0  # the outage was met, and waited out
    result.assert_clean()


def test_malformed_and_schema_invalid_records_mid_stream_are_dead_lettered_and_the_stream_goes_on(
        identity, pipeline, infra, topic_prefix, tenant, staff_headers, dsns):
    stream = Stream(flask_call(identity), tenant, staff_headers(tenant))
    marker = uuid.uuid4().hex

    def junk():
        producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
        producer.send(topic_prefix + "portico.identity", key=b"junk", value=b"\x00not json" + marker.encode(),
                      headers=[("ce_specversion", b"1.0")])
        producer.send(topic_prefix + "portico.identity", key=b"customer-x",
                      value=json.dumps({"code": marker}).encode(),
                      headers=[("ce_specversion", b"1.0"), ("ce_id", str(uuid.uuid4()).encode()),
                               ("ce_source", b"/elsewhere"), ("ce_type", b"portico.identity.customer.created"),
                               ("ce_time", b"2026-11-28T00:00:00Z"), ("ce_tenantid", tenant.encode()),
                               ("ce_subject", b"customer-x")])
        producer.flush()
        producer.close()

    _drive_around(stream, junk, before=1.0, after=2.0)
    result = _settled_audit(stream, dsns, infra, topic_prefix, timeout=120)
    letters = [ce(r) for r in records_of(infra, topic_prefix + "portico.deadletter") if marker.encode() in r.value]
    print(result.report("malformed + schema-invalid records"), f"dead_letters={len(letters)}")
    assert {"invitations.candidates.v1", "documents.users.v1"} <= {h["dlq_consumer"] for h in letters}
    result.assert_clean()


def test_two_requests_racing_on_one_user_one_wins_the_other_gets_409(
        identity, pipeline, infra, topic_prefix, tenant, staff_headers, dsns):
    stream = Stream(flask_call(identity), tenant, staff_headers(tenant))
    for n in range(3):
        stream.lifecycle(n)
    outcomes: list[tuple[int, int]] = []
    for user_id in stream.users:
        for areas in (["invoices"], ["statements"], ["shipments"], ["quotes"]):
            outcomes.append(_race(identity, tenant, stream.admin, user_id, areas, ["orders", *areas]))
    statuses = [s for pair in outcomes for s in pair]
    print(f"[race] pairs={len(outcomes)} won={statuses.count(200)} conflicts={statuses.count(409)}")
    assert set(statuses) <= {200, 409}, statuses
    assert all(200 in pair for pair in outcomes), outcomes
    for pair in outcomes:
        assert pair.count(409) <= 1
    result = settled(lambda: _granted_everywhere(stream, identity, dsns, infra, topic_prefix))
    result.assert_clean()


def _race(identity, tenant, headers, user_id, first, second) -> tuple[int, int]:
    """Two PATCHes of one user's areas released together."""
    barrier, statuses = threading.Barrier(2), {}

    def patch(name, areas):
        barrier.wait()
        statuses[name] = identity.patch(f"/v1/tenants/{tenant}/users/{user_id}/access", json={"areas": areas},
                                        headers=headers).status_code

    threads = [threading.Thread(target=patch, args=(n, a)) for n, a in (("a", first), ("b", second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return statuses["a"], statuses["b"]


def _granted_everywhere(stream, identity, dsns, infra, topic_prefix):
    """The audit, with each user's areas taken from identity as it stands (the race decided them)."""
    for user_id, user in stream.users.items():
        user["areas"] = set(identity.get(f"/v1/tenants/{stream.tenant}/users/{user_id}",
                                         headers=stream.admin).get_json()["areas"])
    return audit(stream, dsns, infra.kafka_bootstrap, topic_prefix)
