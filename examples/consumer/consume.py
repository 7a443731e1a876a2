"""Follow one of Portico's topics, check each event against its published JSON Schema, print it.

A consumer of Portico's events needs nothing of Portico's code: the CloudEvents headers say what an
event is, and `ce_dataschema` names the JSON Schema (its `$id`) that its data must match. Start it
against `make up`:

    python examples/consumer/consume.py --topic portico.identity --from-beginning

Needs kafka-python and jsonschema (examples/consumer/requirements.txt). See README.md beside it.
"""
from __future__ import annotations

import argparse
import json
import sys
import uuid
from pathlib import Path

import jsonschema
from kafka import KafkaConsumer

SCHEMAS = Path(__file__).resolve().parents[2] / "contracts" / "schemas"


def load_schemas(directory: Path) -> dict[str, jsonschema.Draft202012Validator]:
    """A validator for every published schema file, by its $id (the events' ce_dataschema)."""
    validators = {}
    for path in sorted(directory.glob("*.json")):
        schema = json.loads(path.read_text())
        validators[schema["$id"]] = jsonschema.Draft202012Validator(
            schema, format_checker=jsonschema.FormatChecker())
    return validators


def read_event(record, validators: dict) -> dict:
    """The event in a Kafka record: its CloudEvents attributes, its data, and what is wrong with it."""
    headers = {name: value.decode("utf-8") for name, value in record.headers or []}
    attributes = {name[3:]: value for name, value in headers.items() if name.startswith("ce_")}
    attributes["datacontenttype"] = headers.get("content-type")
    problems = []
    if attributes.get("specversion") != "1.0":
        problems.append(f"not a CloudEvent 1.0 (ce_specversion={attributes.get('specversion')!r})")
    try:
        data = json.loads(record.value)
    except (TypeError, ValueError) as error:
        data, problems = None, problems + [f"data is not JSON: {error}"]
    validator = validators.get(attributes.get("dataschema"))
    if validator is None:
        problems.append(f"no published schema has $id {attributes.get('dataschema')!r}")
    elif data is not None:
        problems += [f"{'/'.join(map(str, e.absolute_path)) or '(data)'}: {e.message}"
                     for e in validator.iter_errors(data)]
    return {"key": record.key.decode("utf-8") if record.key else None, "topic": record.topic,
            "partition": record.partition, "offset": record.offset, "attributes": attributes,
            "data": data, "valid": not problems, "problems": problems}


def subscribe(bootstrap: str, topic: str, group: str, from_beginning: bool) -> KafkaConsumer:
    consumer = KafkaConsumer(bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=True,
                             auto_offset_reset="earliest" if from_beginning else "latest",
                             consumer_timeout_ms=1000)
    # Ask for the topic's partitions before joining the group: kafka-python may otherwise join
    # before it knows them and be assigned nothing until its next metadata refresh.
    consumer.partitions_for_topic(topic)
    consumer.subscribe([topic])
    return consumer


def show(event: dict) -> str:
    a = event["attributes"]
    verdict = "valid" if event["valid"] else "INVALID: " + "; ".join(event["problems"])
    return (f"{a.get('time')} {a.get('type')} v{a.get('schemaversion')} tenant={a.get('tenantid')} "
            f"subject={a.get('subject')} [{verdict}]\n    {json.dumps(event['data'])}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--bootstrap", default="127.0.0.1:19092", help="Kafka bootstrap servers")
    parser.add_argument("--topic", default="portico.identity")
    parser.add_argument("--group", default=f"example-consumer-{uuid.uuid4().hex[:8]}",
                        help="consumer group; reuse one to resume where it stopped")
    parser.add_argument("--from-beginning", action="store_true", help="a new group starts at the oldest event")
    parser.add_argument("--schemas", type=Path, default=SCHEMAS, help="directory of published schema files")
    parser.add_argument("--tenant", help="show only this tenant's events")
    parser.add_argument("--type", default="", help="show only event types starting with this, e.g. "
                                                   "portico.identity.customer.")
    parser.add_argument("--max-events", type=int, help="stop after this many events")
    parser.add_argument("--idle-timeout", type=float, help="stop after this many seconds without an event")
    parser.add_argument("--json", action="store_true", help="one JSON object per line instead of text")
    args = parser.parse_args(argv)

    validators = load_schemas(args.schemas)
    consumer = subscribe(args.bootstrap, args.topic, args.group, args.from_beginning)
    shown, idle = 0, 0.0
    try:
        while args.max_events is None or shown < args.max_events:
            got = False
            for record in consumer:  # returns after a second without records (consumer_timeout_ms)
                got = True
                event = read_event(record, validators)
                if args.tenant and event["attributes"].get("tenantid") != args.tenant:
                    continue
                if not str(event["attributes"].get("type", "")).startswith(args.type):
                    continue
                print(json.dumps(event) if args.json else show(event), flush=True)
                shown += 1
                if args.max_events is not None and shown >= args.max_events:
                    break
            idle = 0.0 if got else idle + 1.0
            if args.idle_timeout is not None and idle >= args.idle_timeout:
                break
    except KeyboardInterrupt:
        pass
    finally:
        consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
