"""Helpers for the notification tests: mail in the sink, the links in it, the delivery log, Kafka records."""
from __future__ import annotations

import re
from urllib.parse import unquote

from kafka import KafkaProducer

from .. import kafka_topic
from ..conftest import eventually
from ..fixtures.notifications import text_of

PASSWORD = "correct horse battery"
PORTAL = "https://portal.test"


def arrived(mail, address: str, kind: str, count: int = 1, timeout: float = 60.0) -> list:
    """The `count` messages of a kind at an address, once they are all there."""
    def there():
        found = mail.to(address, kind)
        assert len(found) >= count, f"{len(found)} {kind} e-mails to {address}"
        return found
    return eventually(there, timeout=timeout)


def link(message, path: str) -> str:
    """The token of the first link to `path` in the e-mail's text (and the HTML has the same link)."""
    found = re.search(rf"{re.escape(PORTAL)}/[\w-]+{re.escape(path)}\?token=(\S+)", text_of(message))
    assert found, text_of(message)
    html = message.get_body(preferencelist=("html",)).get_content()
    assert found.group(0) in html.replace("&amp;", "&")
    return unquote(found.group(1))


def add_customer(identity, tenant, headers, code: str, emails: str) -> str:
    body = {"code": code, "name": f"{code} Ltd", "receivable_account": f"AR-{code}", "emails": emails}
    response = identity.post(f"/v1/tenants/{tenant}/customers", json=body, headers=headers)
    assert response.status_code == 201, response.json
    return response.json["customer_id"]


def deliveries(notifications, tenant, headers, **query) -> list[dict]:
    response = notifications.get(f"/v1/tenants/{tenant}/deliveries", query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return response.json["items"]


def all_sent(notifications, tenant, headers, count: int, **query) -> list[dict]:
    """The tenant's deliveries, once `count` of them match and every one has been sent."""
    def sent():
        items = deliveries(notifications, tenant, headers, **query)
        assert len(items) == count and {i["status"] for i in items} == {"sent"}, items
        return items
    return eventually(sent, timeout=60)


def all_records(infra, topic: str) -> list:
    """Every raw Kafka record of a topic, from the beginning."""
    return kafka_topic.records(infra.kafka_bootstrap, topic)


def records_of(infra, topic: str, tenant: str, event_type: str) -> list:
    """The raw Kafka records of one tenant's events of a type, from the beginning of the topic."""
    return [record for record in all_records(infra, topic)
            if dict(record.headers).get("ce_tenantid") == tenant.encode()
            and dict(record.headers).get("ce_type") == event_type.encode()]


def publish_again(infra, record):
    """Put a record on its topic once more, as a redelivery would: same key, value and headers; where it went."""
    producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
    try:
        future = producer.send(record.topic, key=record.key, value=record.value, headers=list(record.headers))
        return future.get(timeout=10)
    finally:
        producer.close()


def consumed_up_to(pool, consumer: str, where) -> None:
    """Wait until a projection has processed the record at `where` (a record's metadata: topic, partition, offset)."""
    def done():
        with pool.connection() as conn:
            row = conn.execute("SELECT kafka_offset FROM consumer_positions WHERE consumer = %s AND topic = %s"
                               " AND kafka_partition = %s", (consumer, where.topic, where.partition)).fetchone()
        assert row is not None and row["kafka_offset"] >= where.offset
    eventually(done)
