"""Read back what identity published: one tenant's events on the real broker, in stream order."""
from __future__ import annotations

import json

from .. import kafka_topic


def published(infra, topic_prefix, tenant, topic="portico.identity") -> list[dict]:
    """Every event of one tenant on a topic, read from the beginning: type, actor, stream, dataschema, data."""
    events = []
    for record in kafka_topic.records(infra.kafka_bootstrap, topic_prefix + topic):
        headers = {k: v.decode() for k, v in record.headers}
        if headers.get("ce_tenantid") == tenant:
            events.append({"type": headers["ce_type"].split(".", 2)[-1], "actor": headers["ce_actor"],
                           "stream": headers["ce_subject"], "version": int(headers["ce_streamversion"]),
                           "correlation": headers["ce_correlationid"], "dataschema": headers["ce_dataschema"],
                           "id": headers["ce_id"], "causation": headers.get("ce_causationid"),
                           "traceparent": headers.get("ce_traceparent"), "data": json.loads(record.value)})
    return sorted(events, key=lambda e: (e["stream"], e["version"]))
