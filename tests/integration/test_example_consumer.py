"""The example consumer (examples/consumer/) reads what identity publishes on the real broker and
validates it with the published JSON Schemas, without any of Portico's code."""
from __future__ import annotations

import ast
import json
import subprocess
import sys
import uuid
from pathlib import Path

from kafka import KafkaProducer

from eventkit.kafka import TopicSpec, ensure_topics

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "consumer" / "consume.py"
ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "emails": "ap@acme.example"}


def consume(infra, topic: str, tenant: str, count: int, types: str = "portico.identity.customer.") -> list[dict]:
    """Run the example as a person would, until it has shown `count` of the tenant's events."""
    done = subprocess.run(
        [sys.executable, str(EXAMPLE), "--bootstrap", infra.kafka_bootstrap, "--topic", topic,
         "--from-beginning", "--tenant", tenant, "--type", types, "--max-events", str(count), "--idle-timeout", "60", "--json"],
        cwd="/", capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


def test_the_example_needs_none_of_portico_s_code():
    tree = ast.parse(EXAMPLE.read_text())
    imported = {alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import)
                for alias in node.names}
    imported |= {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
                 and node.module}
    assert not imported & {"contracts", "eventkit", "identity", "invitations", "services"}


def test_events_appended_through_identity_appear_in_the_example_consumer_validated(
        identity, identity_loops, staff_headers, infra, topic_prefix, tenant):
    headers = staff_headers(tenant)
    assert identity.post(f"/v1/tenants/{tenant}/customers", json=ACME, headers=headers).status_code == 201
    changed = identity.patch(f"/v1/tenants/{tenant}/customers/ACME01", json={"phone": "555-0100"}, headers=headers)
    assert changed.status_code == 200, changed.json

    events = consume(infra, topic_prefix + "portico.identity", tenant, 2)

    assert [e["attributes"]["type"] for e in events] == [
        "portico.identity.customer.created", "portico.identity.customer.updated"]
    assert all(e["valid"] for e in events), [e["problems"] for e in events]
    assert events[0]["data"]["code"] == "ACME01" and events[1]["data"]["changes"] == {"phone": "555-0100"}
    assert events[0]["key"] == events[0]["attributes"]["subject"] == events[1]["key"]
    assert events[0]["attributes"]["dataschema"] == "urn:portico:schema:portico.identity.customer.created:2"  # v2: personal fields may be sealed


def test_the_example_consumer_flags_data_that_breaks_its_schema(infra, topic_prefix, tenant):
    topic = f"{topic_prefix}example-consumer"
    ensure_topics(infra.kafka_bootstrap, [TopicSpec(topic, 1)])
    customer = str(uuid.uuid4())
    attributes = {"specversion": "1.0", "id": str(uuid.uuid4()), "source": "/portico/identity",
                  "type": "portico.identity.customer.archived", "subject": f"customer-{customer}",
                  "time": "2026-01-15T09:30:00Z", "tenantid": tenant, "schemaversion": "1",
                  "dataschema": "urn:portico:schema:portico.identity.customer.archived:1"}
    headers = [(f"ce_{k}", v.encode()) for k, v in attributes.items()] + [("content-type", b"application/json")]
    producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap)
    for data in ({"customer_id": customer, "code": "A1", "reason": None}, {"customer_id": customer, "colour": 1}):
        producer.send(topic, key=f"customer-{customer}".encode(), value=json.dumps(data).encode(), headers=headers)
    producer.flush(timeout=30)
    producer.close()

    good, bad = consume(infra, topic, tenant, 2)

    assert good["valid"] and good["problems"] == []
    assert not bad["valid"]
    assert any("'code' is a required property" in p for p in bad["problems"])
    assert any("colour" in p for p in bad["problems"])
