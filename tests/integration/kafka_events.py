"""Read back what identity published: one tenant's events on the real broker, in stream order."""
from __future__ import annotations

import json

from kafka import KafkaConsumer, TopicPartition


def published(infra, topic_prefix, tenant, topic="portico.identity") -> list[dict]:
    """Every event of one tenant on a topic, read from the beginning: type, actor, stream, dataschema, data."""
    consumer = KafkaConsumer(bootstrap_servers=infra.kafka_bootstrap, enable_auto_commit=False,
                             consumer_timeout_ms=1500)
    try:
        partitions = [TopicPartition(topic_prefix + topic, p)
                      for p in consumer.partitions_for_topic(topic_prefix + topic) or []]
        consumer.assign(partitions)
        consumer.seek_to_beginning(*partitions)
        events = []
        for record in consumer:
            headers = {k: v.decode() for k, v in record.headers}
            if headers.get("ce_tenantid") == tenant:
                events.append({"type": headers["ce_type"].split(".", 2)[-1], "actor": headers["ce_actor"],
                               "stream": headers["ce_subject"], "version": int(headers["ce_streamversion"]),
                               "correlation": headers["ce_correlationid"], "dataschema": headers["ce_dataschema"],
                               "id": headers["ce_id"], "causation": headers.get("ce_causationid"),
                               "traceparent": headers.get("ce_traceparent"), "data": json.loads(record.value)})
    finally:
        consumer.close()
    return sorted(events, key=lambda e: (e["stream"], e["version"]))
