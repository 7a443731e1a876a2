"""Projection rebuild in events per second, beside a bare kafka-python read of the same topic.

EVENTS customers are written through identity's event store and outbox in transactions of 500 (as an
import writes them, one CustomerImported each) on a fresh database, and identity's outbox relay
publishes them to a topic of the run. Then the invitations service's candidates projection is rebuilt
with eventkit.rebuild, as `python -m ops projections rebuild` does: a fresh table, one member a core
(this one and forks) each reading its share of the partitions from the beginning, the switch to the new
table; and again by one process alone. The clock covers the whole call (fork and switch included; the
grace before dropping the old table is left out, no one reads it here). The baseline is a consumer with
no group reading the same topic from its first offsets to its ends in one process: the floor for "read
every event" there. CPU per event counts this process and the forked members.
"""
from __future__ import annotations

import os
import threading
import time

from contracts.topics import IDENTITY
from eventkit.envelope import Metadata
from eventkit.kafka import METRICS
from eventkit.offsets import topic_heads
from eventkit.rebuild import rebuild
from eventkit.store import StreamAppend
from identity import config as identity_config
from identity.bootstrap import bootstrap as identity_bootstrap, migrate as identity_migrate
from identity.domain import customer as customers
from identity.domain.customer import customer_id_for, stream_id
from invitations import config as invitations_config
from invitations.adapters.projections import candidates
from invitations.bootstrap import bootstrap as invitations_bootstrap, migrate as invitations_migrate

from .bare_kafka import from_start
from .customer_import import KAFKA, Environment, _count, _wait_for
from .latency import customer

EVENTS = int(os.environ.get("BENCH_REBUILD_EVENTS", "50000"))
MEMBERS = int(os.environ.get("BENCH_REBUILD_MEMBERS", 0)) or len(os.sched_getaffinity(0))  # as `ops projections rebuild` reads, by default
PER_TRANSACTION, TENANT = 500, "bench"


def write_customers(identity, count: int) -> None:
    """`count` CustomerImported events in the store and the outbox, PER_TRANSACTION to a transaction."""
    meta = Metadata(TENANT, "bench")
    for first in range(0, count, PER_TRANSACTION):
        appends = []
        for n in range(first, min(first + PER_TRANSACTION, count)):
            code, fields = customer(n)
            cid = customer_id_for(TENANT, code)
            appends.append(StreamAppend(stream_id(cid), "customer", 0,
                                        [customers.create(None, cid, code, fields, imported=True)]))
        with identity.uow() as uow:
            uow.append(appends, meta)


def publish(identity, dsn: str) -> float:
    """Run identity's relay until its outbox is empty; how long that took."""
    stop, started = threading.Event(), time.perf_counter()
    relay = threading.Thread(target=identity.relay().run, args=(stop,), daemon=True)
    relay.start()
    try:
        return _wait_for(lambda: _count(dsn, "SELECT count(*) FROM outbox") == 0, "an empty outbox") - started
    finally:
        stop.set()
        relay.join(timeout=30)


def read_to_end(topic: str) -> tuple[int, float]:
    """Records read from the topic's first offsets to its ends by a consumer with no group; (records, s)."""
    started = time.perf_counter()
    with from_start(KAFKA, topic, client_id="bench-rebuild", metrics_enabled=METRICS) as (consumer, partitions):
        ends, read = consumer.end_offsets(partitions), 0  # metrics as Portico's clients have them
        while any(consumer.position(tp) < ends[tp] for tp in partitions):
            read += sum(len(records) for records in consumer.poll(timeout_ms=500).values())
        return read, time.perf_counter() - started


def rebuild_candidates(invitations, topic: str, processes: int) -> tuple[str, int, float, float]:
    """Rebuild the candidates projection; (its new table, events read, seconds, seconds to the first batch)."""
    projection = next(p for p in invitations.projections if p.name == candidates.NAME)
    progress: list[tuple[int, int, float]] = []
    started = time.perf_counter()
    table = rebuild(invitations.pool, projection,
                    lambda copy, pool: invitations.consumer(copy, pool=pool, follow_registry=False),
                    lambda: topic_heads(KAFKA, [topic]),
                    on_progress=lambda done, total: progress.append((done, total, time.perf_counter())),
                    drop_after=0.0, processes=processes)  # no one reads the old table here: no grace
    seconds = time.perf_counter() - started
    done, total, _ = progress[-1]
    if done != total:
        raise RuntimeError(f"the rebuild read {done} of {total} events")
    first = next((at for d, _, at in progress if d > 0), started + seconds) - started
    return table, total, seconds, first


def _cpu_seconds() -> float:
    """CPU (user + system) of this process and of its children waited for (the rebuild's forked members)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def run() -> list[dict]:
    with Environment() as env:
        identity_settings = identity_config.load(env.config("identity"))
        invitations_settings = invitations_config.load(env.config("invitations"))
        identity_migrate(identity_settings)
        invitations_migrate(invitations_settings)
        identity = identity_bootstrap(identity_settings)
        invitations = invitations_bootstrap(invitations_settings)
        try:
            started = time.perf_counter()
            write_customers(identity, EVENTS)
            written = time.perf_counter() - started
            published = publish(identity, env.dsn("identity"))
            topic = env.prefix + IDENTITY
            cpu = _cpu_seconds()
            read, bare = read_to_end(topic)
            bare_cpu, cpu = _cpu_seconds() - cpu, _cpu_seconds()
            table, events, seconds, first = rebuild_candidates(invitations, topic, MEMBERS)
            rebuild_cpu, cpu = _cpu_seconds() - cpu, _cpu_seconds()
            rows = _count(env.dsn("invitations"), f"SELECT count(*) FROM {table}")
            alone_table, alone_events, alone, _ = rebuild_candidates(invitations, topic, 1)
            alone_cpu = _cpu_seconds() - cpu
            alone_rows = _count(env.dsn("invitations"), f"SELECT count(*) FROM {alone_table}")
        finally:
            identity.close()
            invitations.close()
    if read != events or rows != EVENTS or alone_events != events or alone_rows != EVENTS:
        raise RuntimeError(f"{EVENTS} written, {events} on the topic, {read} read bare, {rows} rows rebuilt, "
                           f"{alone_rows} by one process")
    note = (f"candidates rebuilt from {events:,} CustomerImported events on 6 partitions by {MEMBERS} members "
            f"in {seconds:.1f} s (first batch applied after {first:.1f} s: table, fork, first fetch; "
            f"{events / (seconds - first):,.0f} events/s from there), by one process in {alone:.1f} s; "
            f"the bare read took {bare:.1f} s. "
            f"Writing them took {written:.1f} s ({EVENTS / written:,.0f} events/s), the relay published them "
            f"in {published:.1f} s ({EVENTS / published:,.0f} events/s). CPU per event (this process and its "
            f"forks): {rebuild_cpu / events * 1e6:.0f} µs rebuilding with {MEMBERS} members, "
            f"{alone_cpu / events * 1e6:.0f} µs by one process, {bare_cpu / read * 1e6:.0f} µs in the bare read")
    return [{"benchmark": f"projection rebuild, {events:,} events", "value": events / seconds, "unit": "events/s",
             "baseline": read / bare, "baseline_name": "bare kafka-python read of the topic", "notes": note},
            {"benchmark": f"projection rebuild, {events:,} events, one process", "value": events / alone,
             "unit": "events/s", "baseline": read / bare, "baseline_name": "bare kafka-python read of the topic"},
            # The group join and the first fetch are a fixed cost: the apply's own rate, apart from them.
            {"benchmark": f"projection rebuild, {events:,} events, after the first batch",
             "value": events / (seconds - first), "unit": "events/s", "baseline": read / bare,
             "baseline_name": "bare kafka-python read of the topic"},
            {"benchmark": f"appends of {events:,} imported customers, {PER_TRANSACTION} a transaction",
             "value": EVENTS / written, "unit": "events/s"}]
