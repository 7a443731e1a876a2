"""The outbox relay and the consumer runner against the real broker and database."""
from __future__ import annotations

import json
import uuid

import pytest
from kafka import KafkaProducer

from eventkit.cloudevents import to_record
from eventkit.projection_tables import active_table
from invitations.adapters.projections.candidates import PROJECTION

from .. import kafka_topic
from ..conftest import eventually

ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "emails": "ap@acme.example"}


def records_of(infra, topic):
    """Every record on a topic (read from the beginning by a throwaway consumer)."""
    return kafka_topic.records(infra.kafka_bootstrap, topic)


def ce(record):
    return {k: v.decode() for k, v in record.headers}


def test_the_relay_publishes_cloudevents_keyed_by_stream(identity, pipeline, infra, topic_prefix, tenant,
                                                         staff_headers):
    identity.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    created = identity.post(f"/v1/tenants/{tenant}/customers", json=ACME,
                            headers={"traceparent": "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"})
    stream = f"customer-{created.json['customer_id']}"

    def published():
        mine = [r for r in records_of(infra, topic_prefix + "portico.identity") if r.key == stream.encode()]
        assert len(mine) == 1
        return mine[0]

    record = eventually(published)
    headers = ce(record)
    assert headers["ce_type"] == "portico.identity.customer.created"
    assert headers["ce_source"] == "/portico/identity"
    assert headers["ce_tenantid"] == tenant
    assert headers["ce_traceparent"].startswith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
    assert json.loads(record.value)["code"] == "ACME01"


def test_an_event_delivered_twice_changes_the_projection_once(identity_app, invitations_app, invitations,
                                                               pipeline, infra, topic_prefix, tenant, staff_headers):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    identity = identity_app.extensions["identity"]
    client = identity_app.test_client()
    client.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    client.post(f"/v1/tenants/{tenant}/customers", json=ACME)
    client.patch(f"/v1/tenants/{tenant}/customers/ACME01", json={"name": "Acme Renamed"})
    with identity.pool.connection() as conn:
        replayed = [e for e in identity.store.read_all(conn, 0, 100_000) if e.tenant_id == tenant]
    client.patch(f"/v1/tenants/{tenant}/customers/ACME01", json={"name": "Acme Final"})
    eventually(lambda: _names(invitations, tenant) == ["Acme Final"] or _fail())

    # Put the first two events on the topic again, as a relay that crashed before deleting its
    # outbox rows would; applied a second time, the rename would bring back "Acme Renamed".
    producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
    for event in replayed:
        key, value, headers = to_record(event)
        producer.send(topic_prefix + "portico.identity", key=key, value=value, headers=headers)
    producer.flush()
    client.patch(f"/v1/tenants/{tenant}/customers/ACME01", json={"price_list": "Z"})

    def applied_once():
        with invitations_app.extensions["invitations"].pool.connection() as conn:
            table = active_table(conn, PROJECTION)  # a rebuild may have switched tables
            row = conn.execute(f"SELECT name, price_list FROM {table} WHERE tenant_id = %s",
                               (tenant,)).fetchone()
        assert row["price_list"] == "Z"  # the consumer has read past the replayed records
        assert row["name"] == "Acme Final"

    eventually(applied_once)
    assert len(replayed) == 2


def _names(client, tenant):
    return [c["name"] for c in client.get(f"/v1/tenants/{tenant}/candidates").json["items"]]


def _fail():
    raise AssertionError


def test_malformed_and_schema_invalid_records_go_to_dead_letters_and_the_consumer_goes_on(
        identity, invitations, pipeline, infra, topic_prefix, tenant, staff_headers):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    identity.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
    marker = uuid.uuid4().hex
    producer.send(topic_prefix + "portico.identity", key=b"junk", value=b"\x00not json" + marker.encode(),
                  headers=[("ce_specversion", b"1.0")])
    invalid_id = uuid.uuid4()
    producer.send(topic_prefix + "portico.identity", key=b"customer-x", value=json.dumps({"code": marker}).encode(),
                  headers=[("ce_specversion", b"1.0"), ("ce_id", str(invalid_id).encode()),
                           ("ce_source", b"/elsewhere"), ("ce_type", b"portico.identity.customer.created"),
                           ("ce_time", b"2026-11-28T00:00:00Z"), ("ce_tenantid", tenant.encode()),
                           ("ce_subject", b"customer-x")])
    producer.flush()
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME)

    eventually(lambda: _names(invitations, tenant) == ["Acme Tools Ltd"] or _fail())

    def dead_lettered():
        letters = [ce(r) | {"raw": r.value} for r in records_of(infra, topic_prefix + "portico.deadletter")]
        # Identity's own projections read the topic too and dead-letter the same junk for themselves.
        junk = [h for h in letters if marker.encode() in h["raw"] and h["dlq_consumer"] == PROJECTION.name]
        assert len(junk) == 2
        errors = sorted(h["dlq_error"].split(":")[0] for h in junk)
        assert errors == ["ContractViolation", "MalformedEvent"]

    eventually(dead_lettered)


def test_a_record_nested_100000_levels_deep_is_dead_lettered_and_the_consumer_goes_on(
        identity, invitations, pipeline, infra, topic_prefix, tenant, staff_headers):
    """json.loads raised RecursionError on it, which escaped the dead-letter path: every consumer of
    the topic restarted on the same offset for good (issue 14)."""
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    identity.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    marker = uuid.uuid4()
    deep = b'{"code":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap, max_request_size=2_000_000)
    producer.send(topic_prefix + "portico.identity", key=b"customer-deep", value=deep,
                  headers=[("ce_specversion", b"1.0"), ("ce_id", str(marker).encode()),
                           ("ce_source", b"/elsewhere"), ("ce_type", b"portico.identity.customer.created"),
                           ("ce_time", b"2026-11-28T00:00:00Z"), ("ce_tenantid", tenant.encode()),
                           ("ce_subject", b"customer-deep")])
    producer.flush()
    producer.close()
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME)

    eventually(lambda: _names(invitations, tenant) == ["Acme Tools Ltd"] or _fail())

    def dead_lettered():
        letters = [ce(r) for r in records_of(infra, topic_prefix + "portico.deadletter")]
        mine = [h for h in letters if h.get("ce_id") == str(marker) and h["dlq_consumer"] == PROJECTION.name]
        assert len(mine) == 1
        assert mine[0]["dlq_error"].startswith("MalformedEvent: depth limit exceeded")

    eventually(dead_lettered)
