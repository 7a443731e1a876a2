"""The AsyncAPI 3.0.0 document of every event Portico publishes, generated from the catalogue.

One channel per topic, one `send` operation per publishing service, one message per event type and
version: its CloudEvents headers, its record key and its data's JSON Schema (the same document as
contracts/schemas/, `$id` and all). `python -m contracts` writes contracts/asyncapi.json.

Payloads are inline in AsyncAPI's default schema format (a superset of JSON Schema draft 07), not
declared as `application/schema+json;version=draft-2020-12`: the AsyncAPI parser and Spectral validate
only the default format, and skipped payload validation altogether for ours. The schemas use nothing
that draft 07 lacks, so only `$schema` is left out; `$id` stays equal to the event's `ce_dataschema`.
"""
from __future__ import annotations

import json
import re
from itertools import groupby
from pathlib import Path

from eventkit.kafka import TopicSpec

from .catalogue import Catalogue, EventContract
from .examples import example_data, example_headers
from .headers import contract_headers, headers_schema
from .jsonschema import json_schema
from .topics import DEAD_LETTERS

DOCUMENT = Path(__file__).parent / "asyncapi.json"
KAFKA_BINDING = "0.5.0"
HEADERS_REF = "#/components/schemas/CloudEventsHeaders"
SERVERS = {
    "local": {"host": "127.0.0.1:19092", "protocol": "kafka", "protocolVersion": "4.1",
              "description": "The broker `make up` starts (inside docker compose: kafka:9092)."},
}


def message_id(contract: EventContract) -> str:
    return f"{contract.type}.v{contract.version}"


def _key_schema(contract: EventContract) -> dict:
    key = {"type": "string", "description": f"The record key, {contract.key}; one stream stays on one "
                                            "partition, so its events arrive in order."}
    prefix = re.match(r"stream id: ([a-z_]+-)<", contract.key)
    if prefix:
        key["pattern"] = f"^{prefix.group(1)}"
    return key


def payload_schema(contract: EventContract) -> dict:
    """The data's JSON Schema as an AsyncAPI (default format) schema."""
    return {k: v for k, v in json_schema(contract).items() if k != "$schema"}


def message(contract: EventContract) -> dict:
    data = example_data(json_schema(contract))
    return {
        "name": contract.type,
        "title": contract.name,
        "summary": contract.description,
        "contentType": "application/json",
        "headers": contract_headers(contract, HEADERS_REF),
        "payload": payload_schema(contract),
        "correlationId": {"location": "$message.header#/ce_correlationid"},
        "tags": [{"name": contract.owner}],
        "bindings": {"kafka": {"key": _key_schema(contract), "bindingVersion": KAFKA_BINDING}},
        "examples": [{"name": "example", "headers": example_headers(contract, data), "payload": data}],
    }


def _channel_binding(topic: TopicSpec) -> dict:
    config = {}
    if "retention.ms" in topic.config:
        config["retention.ms"] = int(topic.config["retention.ms"])
    if "cleanup.policy" in topic.config:
        config["cleanup.policy"] = topic.config["cleanup.policy"].split(",")
    return {"kafka": {"topic": topic.name, "partitions": topic.partitions, "topicConfiguration": config,
                      "bindingVersion": KAFKA_BINDING}}


def _dead_letter_message() -> dict:
    return {
        "name": "portico.deadletter",
        "title": "dead letter",
        "summary": "An event a consumer could not apply: the original record (key, value, CloudEvents headers) "
                   "with dlq_consumer, dlq_topic, dlq_partition, dlq_offset and dlq_error headers added.",
        "contentType": "application/json",
        "headers": {"type": "object", "required": ["dlq_consumer", "dlq_topic", "dlq_partition", "dlq_offset",
                                                   "dlq_error"],
                    "properties": {name: {"type": "string"} for name in
                                   ("dlq_consumer", "dlq_topic", "dlq_partition", "dlq_offset", "dlq_error")}},
        "payload": {"description": "The original record's value, unchanged (it may be what was wrong)."},
    }


def document(catalogue: Catalogue, topics: list[TopicSpec]) -> dict:
    """The AsyncAPI document for these contracts and topics."""
    specs = {t.name: t for t in topics}
    channels, operations, messages = {}, {}, {}
    by_topic = sorted(catalogue, key=lambda c: (c.topic, c.type, c.version))
    for topic, contracts in groupby(by_topic, key=lambda c: c.topic):
        contracts = list(contracts)
        for contract in contracts:
            messages[message_id(contract)] = message(contract)
        channels[topic] = {
            "address": topic,
            "title": topic,
            "description": f"Events published by {', '.join(sorted({c.owner for c in contracts}))}, "
                           "as CloudEvents in binary mode, keyed by stream id.",
            "messages": {message_id(c): {"$ref": f"#/components/messages/{message_id(c)}"} for c in contracts},
            "bindings": _channel_binding(specs[topic]),
        }
        for owner, owned in groupby(sorted(contracts, key=lambda c: c.owner), key=lambda c: c.owner):
            operations[f"{owner}.publish.{topic}"] = {
                "action": "send",
                "title": f"{owner} publishes on {topic}",
                "summary": "The service's outbox relay publishes each event once it is committed to its store.",
                "description": f"{owner} appends each event to its event store and outbox in the transaction "
                               "of the command that caused it; the relay then publishes it here with an "
                               "idempotent producer (acks=all), keyed by stream id, and deletes the outbox "
                               "row once Kafka acknowledged it. A consumer may see an event twice after a "
                               "relay restart: deduplicate on ce_id.",
                "tags": [{"name": owner}],
                "channel": {"$ref": f"#/channels/{topic}"},
                "messages": [{"$ref": f"#/channels/{topic}/messages/{message_id(c)}"} for c in owned],
            }
    if DEAD_LETTERS in specs:
        messages["portico.deadletter"] = _dead_letter_message()
        channels[DEAD_LETTERS] = {
            "address": DEAD_LETTERS, "title": DEAD_LETTERS,
            "description": "Events that a consumer of any service could not apply, with the reason.",
            "messages": {"portico.deadletter": {"$ref": "#/components/messages/portico.deadletter"}},
            "bindings": _channel_binding(specs[DEAD_LETTERS]),
        }
        operations["consumers.dead-letter"] = {
            "action": "send", "title": "every consumer runner dead-letters what it cannot apply",
            "description": "A record that a consumer cannot parse, validate or apply is published here with "
                           "the reason in headers, and the consumer goes on; operators list and retry them "
                           "with `python -m ops dead-letters`.",
            "channel": {"$ref": f"#/channels/{DEAD_LETTERS}"},
            "messages": [{"$ref": f"#/channels/{DEAD_LETTERS}/messages/portico.deadletter"}],
        }
    return {
        "asyncapi": "3.0.0",
        "info": {
            "title": "Portico events",
            "version": "1.0.0",
            "description": "Every event Portico's services publish on Kafka. Each record is a CloudEvent 1.0 "
                           "(Kafka protocol binding, binary content mode): attributes in `ce_*` headers, the "
                           "data as JSON in the value, the stream id as key. Validate the data with the "
                           "JSON Schema whose `$id` is the `ce_dataschema` header. Generated from contracts/.",
            "contact": {"name": "Portico maintainers"},
            "license": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
            "tags": [{"name": service, "description": f"events the {service} service publishes"}
                     for service in sorted({c.owner for c in catalogue})],
        },
        "defaultContentType": "application/json",
        "servers": SERVERS,
        "channels": channels,
        "operations": operations,
        "components": {"schemas": {"CloudEventsHeaders": headers_schema()}, "messages": messages},
    }


def render(catalogue: Catalogue, topics: list[TopicSpec]) -> str:
    return json.dumps(document(catalogue, topics), indent=2) + "\n"


def write(catalogue: Catalogue, topics: list[TopicSpec]) -> Path:
    DOCUMENT.write_text(render(catalogue, topics))
    return DOCUMENT
