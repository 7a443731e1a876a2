"""CPU per event by stage of the consumer path, for the candidates projection's CustomerImported events.

Where a projection's time goes once Kafka has handed over a record: reading its headers (all a record no
projection handles costs), parsing it (orjson, the envelope), validating it (the compiled schema, beside
marshmallow, which the consumer used before), reducing it to rows, and applying the rows: a batch of
BENCH_STAGE_BATCH in sets, beside the same rows one event at a time (the slow path, as every event went
before). The database part runs on a fresh database of the run, dropped afterwards. CPU is this process's
(time.process_time); the apply is also given in wall time, since most of it is the server's.
"""
from __future__ import annotations

import os
import time
import uuid
from types import SimpleNamespace

import psycopg
from psycopg.rows import dict_row

import contracts
from contracts.jsonschema import SCHEMA_DIR
from eventkit.batch import peek
from eventkit.cloudevents import from_record, to_record
from eventkit.envelope import Metadata
from eventkit.set_apply import apply_events
from eventkit.validation import CompiledContracts
from identity.domain import customer as customers
from identity.domain.customer import customer_id_for, stream_id
from invitations.adapters.projections.candidates import PROJECTION

from .customer_import import ADMIN_DSN
from .latency import customer

EVENTS = int(os.environ.get("BENCH_STAGE_EVENTS", "5000"))
BATCH = int(os.environ.get("BENCH_STAGE_BATCH", "500"))


def records(count: int) -> list:
    """Kafka records as the relay publishes them: CustomerImported at its latest version (the store upcasts
    what the domain decides), one stream each."""
    catalogue, meta, made = contracts.catalogue(), Metadata("bench", "bench"), []
    for n in range(count):
        code, fields = customer(n)
        cid = customer_id_for("bench", code)
        new = catalogue.upcast(customers.create(None, cid, code, fields, imported=True))
        event = SimpleNamespace(position=n + 1, stream_id=stream_id(cid), stream_type="customer", stream_version=1,
                                id=new.id, type=new.type, version=new.version, tenant_id=meta.tenant_id,
                                occurred_at=new.occurred_at, actor=meta.actor, correlation_id=uuid.uuid4(),
                                causation_id=None, traceparent=None, data=dict(new.data), source="/portico/identity")
        key, value, headers = to_record(event)
        made.append(SimpleNamespace(key=key, value=value, headers=headers))
    return made


def _cpu(step, items) -> tuple[list, float]:
    started = time.process_time()
    out = [step(item) for item in items]
    return out, (time.process_time() - started) / len(items) * 1e6


def _apply(dsn: str, table: str, events: list, per_event: bool) -> tuple[float, float]:
    """Apply the events a transaction of BATCH at a time (no WAL flush wait, as the consumer), in sets or
    one statement per event; (CPU µs, wall µs) per event."""
    projection = PROJECTION.on_table(table)
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        conn.execute(PROJECTION.ddl(table))
        conn.execute("SET synchronous_commit = off")
        conn.commit()
        cpu, wall = time.process_time(), time.perf_counter()
        for first in range(0, len(events), BATCH):
            batch = events[first:first + BATCH]
            for part in ([[e] for e in batch] if per_event else [batch]):
                apply_events(conn, projection, part)
            conn.commit()
        return ((time.process_time() - cpu) / len(events) * 1e6, (time.perf_counter() - wall) / len(events) * 1e6)


def run() -> list[dict]:
    catalogue = contracts.catalogue()
    compiled = CompiledContracts(catalogue, SCHEMA_DIR)
    made = records(EVENTS)
    headers, peeked = _cpu(lambda r: peek(r.headers)[2], made)  # the dict from_record reads, as a consumer has it
    parsed, parsing = _cpu(lambda value_and_headers: from_record(*value_and_headers),
                           [(r.value, h) for r, h in zip(made, headers)])
    _, validating = _cpu(compiled.read, parsed)
    _, marshmallow = _cpu(catalogue.read, parsed)
    _, reducing = _cpu(PROJECTION.rows_for, parsed)
    name = f"bench_stages_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        dsn = psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=name)
        in_sets = _apply(dsn, "in_sets", parsed, per_event=False)
        one_by_one = _apply(dsn, "one_by_one", parsed, per_event=True)
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    note = (f"{EVENTS:,} CustomerImported events, CPU µs per event: headers {peeked:.1f}, parse {parsing:.1f}, "
            f"validate {validating:.1f} (marshmallow {marshmallow:.1f}), reduce {reducing:.1f}, apply in sets of "
            f"{BATCH} {in_sets[0]:.1f} (wall {in_sets[1]:.1f}), one statement per event {one_by_one[0]:.1f} (wall {one_by_one[1]:.1f})")
    per_event = peeked + parsing + validating + reducing + in_sets[0]
    return [
        {"benchmark": "consumer CPU per event, headers to applied rows", "value": per_event, "unit": "µs",
         "notes": note},
        {"benchmark": "validating an event, compiled schema", "value": validating, "unit": "µs",
         "baseline": marshmallow, "baseline_name": "marshmallow"},
        {"benchmark": f"applying rows in sets of {BATCH}, wall per event", "value": in_sets[1], "unit": "µs",
         "baseline": one_by_one[1], "baseline_name": "one statement per event, same transactions"},
    ]
