"""Command-to-projection latency, p50 and p99, open loop at each of RATES, beside a bare Kafka round trip.

Identity and invitations run as their real worker processes on fresh databases and topics of their
own. A load generator process (bench/open_loop.py) creates SAMPLES customers per rate through identity's
service layer (one transaction each: event store and outbox), the n-th due n/rate s after the start;
the latency runs from the moment the command is due until the
customer is visible in the invitations service's candidates table, so it crosses the event store,
identity's outbox relay, Kafka and the invitations consumer. A trigger on that table NOTIFYs each new
row; PostgreSQL delivers a notification when its transaction commits, the moment readers can see the
row. To tell the two halves apart in the notes, identity's topic is read once the rates are done: each
record's timestamp says when the relay handed it to Kafka (a consumer watching the topic meanwhile would
take from the path the CPU it measures: over a millisecond per record at 200/s). The baseline sends as
many copies of one CustomerCreated record (value and headers) at the same rate with kafka-python (the
relay's producer settings: idempotent, acks=all) to a topic of the run, read by a bare consumer with no
group: the floor under any projection fed over Kafka, sent by the same generator. Every call is timed
from when it was due, so a stall of the command path stays in the figures; a rate is "sustained" when the
projection took the commands in at 95% of it.
"""
from __future__ import annotations

import base64
import os
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

import psycopg
from kafka import KafkaConsumer, TopicPartition

from contracts.topics import IDENTITY
from eventkit.cloudevents import to_record
from eventkit.envelope import Metadata
from eventkit.kafka import METRICS, TopicSpec, create_producer, ensure_topics
from identity import config as identity_config
from identity.bootstrap import bootstrap as identity_bootstrap, migrate as identity_migrate
from identity.domain.commands import CreateCustomer
from identity.domain.customer import customer_id_for, stream_id
from identity.service_layer.customers import create_customer
from invitations import config as invitations_config
from invitations.bootstrap import migrate as invitations_migrate

from tests import kafka_topic

from . import cpu, open_loop
from .customer_import import KAFKA, Environment, _wait_for
from .http_load import p50_p99_ms, p50_p99_rows

RATES = [float(r) for r in os.environ.get("BENCH_LATENCY_RATES", "50,200").split(",")]
SAMPLES = int(os.environ.get("BENCH_LATENCY_SAMPLES", "10000"))  # per rate: enough for a p99 that means something
WARM_UP, WARM_FROM, TENANT, CHANNEL = 10, 9_000_000, "bench", "bench_candidate_seen"
SEEN_TRIGGER = f"""
CREATE FUNCTION bench_candidate_seen() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN PERFORM pg_notify('{CHANNEL}', NEW.code); RETURN NEW; END $$;
CREATE TRIGGER bench_candidate_seen AFTER INSERT ON candidates_v1
    FOR EACH ROW EXECUTE FUNCTION bench_candidate_seen();
"""


def customer(n: int) -> tuple[str, dict]:
    """A company's code and fields, as staff would create it."""
    return f"L{n:07d}", {"kind": "company", "name": f"Customer {n} Ltd", "receivable_account": f"1200-{n}",
                         "customer_type": "Wholesale", "sales_rep": f"rep-{n % 20}", "price_list": "ABC"[n % 3],
                         "emails": [f"ap@c{n}.example"], "phone": None, "billing_address": None,
                         "shipping_address": None}


class Arrivals:
    """When each key arrived, by time.monotonic() (one clock for every process), as a listener thread records them."""

    def __init__(self):
        self.at: dict[str, float] = {}
        self.stop = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self, listen: Callable[["Arrivals"], None]) -> "Arrivals":
        self._thread = threading.Thread(target=listen, args=(self,), daemon=True)
        self._thread.start()
        return self

    def wait_for(self, keys, timeout: float = 120) -> None:
        def arrived() -> bool:
            if not self._thread.is_alive():
                raise RuntimeError("the listener stopped (see its traceback above); the figures would be wrong")
            return all(k in self.at for k in keys)
        _wait_for(arrived, f"{len(keys)} arrivals", timeout)

    def since(self, issued: dict[str, float], key_of: Callable[[str], str] = str) -> list[float]:
        """Seconds from each key's issue to its arrival (arriving under key_of(key))."""
        keys = {key: key_of(key) for key in issued}
        self.wait_for(list(keys.values()))
        return [self.at[keys[key]] - at for key, at in issued.items()]

    def close(self) -> None:
        self.stop.set()
        self._thread.join(timeout=10)


def handed_to_kafka(topic: str) -> dict[str, float]:
    """When each record now on `topic` was handed to Kafka, by its key: the producer's timestamp (wall clock,
    ms) on time.monotonic(). Read after the run, so that reading costs the measured path nothing."""
    offset, handed = time.time() - time.monotonic(), {}
    for record in kafka_topic.records(KAFKA, topic, timeout=300):
        handed.setdefault(record.key.decode(), record.timestamp / 1000 - offset)
    return handed


def listen_to_candidates(dsn: str) -> Callable[[Arrivals], None]:
    conn = psycopg.connect(dsn, autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")  # before the caller sends anything

    def listen(arrivals: Arrivals) -> None:
        with conn:
            while not arrivals.stop.is_set():
                for note in conn.notifies(timeout=0.5):
                    arrivals.at.setdefault(note.payload, time.monotonic())
    return listen


def listen_to_topic(topic: str) -> Callable[[Arrivals], None]:
    consumer = KafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False, client_id="bench-latency",
                             metrics_enabled=METRICS)  # as Portico's clients
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    consumer.assign(partitions)
    consumer.seek_to_end(*partitions)
    for tp in partitions:
        consumer.position(tp)  # resolve the end now, not after the first record is sent

    def listen(arrivals: Arrivals) -> None:
        try:
            while not arrivals.stop.is_set():
                for records in consumer.poll(timeout_ms=200).values():
                    now = time.monotonic()
                    for record in records:
                        arrivals.at.setdefault(record.key.decode(), now)
        finally:
            consumer.close()
    return listen


def customer_commands(args: dict):
    """The load generator's client: customers created through identity's service layer, as staff would."""
    identity = identity_bootstrap(identity_config.load(args["settings"]))

    def make():
        def call(n: int) -> str:
            code, fields = customer(args["first"] + n)
            create_customer(CreateCustomer(Metadata(TENANT, "bench"), code, fields), identity.uow())
            return code
        return call
    return make, identity.close


def bare_records(args: dict):
    """The baseline's client: copies of one CustomerCreated record produced with the relay's settings."""
    producer = create_producer(KAFKA, "bench-latency")
    producer.partitions_for(args["topic"])  # the metadata fetched before the first timed send
    value, headers = base64.b64decode(args["value"]), [(k, base64.b64decode(v)) for k, v in args["headers"]]

    def make():
        def call(n: int) -> str:
            key = f"K{args['first'] + n:07d}"
            producer.send(args["topic"], key=key.encode(), value=value, headers=headers)
            return key
        return call
    return make, producer.close


def open_loop_at(target: str, args: dict, arrivals: Arrivals, rate: float, tmp: Path,
                 databases: tuple[str, ...], key_of: Callable[[str], str] = str
                 ) -> tuple[list[float], open_loop.Outcome, float]:
    """SAMPLES calls of `target` due `rate` a second from a generator process; (seconds from due to
    arrival, the generator's outcome, the rate they arrived at)."""
    with cpu.phase(f"{target.split(':')[1].replace('_', ' ')} at {rate:g}/s", SAMPLES, databases=databases):
        outcome = open_loop.run(target, args, rate, SAMPLES, tmp / f"generator-{rate:g}.log")
    issued = {key: due for key, due in zip(outcome.keys, outcome.due) if key is not None}
    latencies = arrivals.since(issued, key_of)
    last = max(arrivals.at[key_of(key)] for key in issued)
    return latencies, outcome, len(issued) / (last - min(outcome.due))


def through_portico(env: Environment, identity, tmp: Path) -> dict:
    """Per rate: (command to candidates row, command to identity's topic, outcome, arrival rate)."""
    invitations_settings = invitations_config.load(env.config("invitations"))
    invitations_migrate(invitations_settings)  # its tables, for the trigger, before its worker starts
    with psycopg.connect(env.dsn("invitations"), autocommit=True) as conn:
        conn.execute(SEEN_TRIGGER)
    projected = Arrivals().start(listen_to_candidates(env.dsn("invitations")))
    for service in ("identity", "invitations"):
        env.start_worker(service, tmp)
    stream_of = lambda code: stream_id(customer_id_for(TENANT, code))  # noqa: E731 (the record's key)
    settings = env.config("identity")
    try:
        warm = []
        for n in range(WARM_UP):  # not measured: the consumer groups join meanwhile
            code, fields = customer(WARM_FROM + n)
            create_customer(CreateCustomer(Metadata(TENANT, "bench"), code, fields), identity.uow())
            warm.append(code)
        projected.wait_for(warm, timeout=300)
        runs = {}
        for step, rate in enumerate(RATES):
            args = {"settings": settings, "first": step * SAMPLES}
            served, outcome, arrived = open_loop_at("bench.latency:customer_commands", args, projected, rate, tmp,
                                                    tuple(env.databases.values()))
            runs[rate] = served, outcome, arrived
        handed = handed_to_kafka(env.prefix + IDENTITY)  # where the time went
        return {rate: (served, [handed[stream_of(key)] - due for key, due in zip(outcome.keys, outcome.due)
                                if key is not None], outcome, arrived)
                for rate, (served, outcome, arrived) in runs.items()}
    finally:
        projected.close()


def through_kafka(env: Environment, sample: tuple[bytes, list], tmp: Path) -> dict:
    """Per rate: (due to a bare consumer's poll, outcome, arrival rate)."""
    topic = env.prefix + "bench.latency"
    ensure_topics(KAFKA, [TopicSpec("bench.latency", 6)], env.prefix)
    arrivals = Arrivals().start(listen_to_topic(topic))
    producer = create_producer(KAFKA, "bench-latency")
    try:
        warm = [f"W{n:07d}" for n in range(WARM_UP)]
        for key in warm:
            producer.send(topic, key=key.encode(), value=sample[0], headers=sample[1])
        producer.flush()
        arrivals.wait_for(warm, timeout=60)
        args = {"topic": topic, "value": base64.b64encode(sample[0]).decode(),
                "headers": [(k, base64.b64encode(v).decode()) for k, v in sample[1]]}
        return {rate: open_loop_at("bench.latency:bare_records", {**args, "first": step * SAMPLES}, arrivals, rate,
                                   tmp, tuple(env.databases.values()))
                for step, rate in enumerate(RATES)}
    finally:
        producer.close()
        arrivals.close()


def sample_record(identity) -> tuple[bytes, list]:
    """One CustomerCreated record's value and headers, for the baseline to send as many bytes."""
    with identity.pool.connection() as conn:
        [event] = identity.store.read_all(conn, after=0, limit=1)
    _, value, headers = to_record(event)
    return value, headers


def rows_at(rate: float, portico: tuple, bare: tuple, size: int) -> list[dict]:
    served, on_kafka, outcome, arrived = portico
    baseline, bare_outcome, bare_arrived = bare
    c50, c99 = p50_p99_ms(outcome.latencies())
    k50, k99 = p50_p99_ms(on_kafka)
    # Either alone makes the rate not sustained; the note says which it was.
    reasons = ([f"the projection took them in at {arrived:.1f}/s, not {rate:g}/s, so the latencies include a "
                f"growing queue"] if arrived < 0.95 * rate else []) + \
              (["the generator did not keep to its schedule (how far off: its pacing below)"]
               if outcome.fell_behind() else [])
    sustained = not reasons
    behind = f"NOT SUSTAINED: {'; '.join(reasons)}. " if reasons else ""
    note = (f"{behind}{len(served):,} customers created through identity's service layer, due {rate:g}/s open loop "
            f"from a generator process ({outcome.pacing()}), each timed from when it was due until its row committed "
            f"in invitations' candidates ({arrived:.1f}/s arrived; identity and invitations worker processes); max "
            f"{max(served) * 1000:.0f} ms; committed in identity's store after p50 {c50:.0f} ms, p99 {c99:.0f} ms; handed "
            f"to Kafka by identity's relay after p50 {k50:.0f} ms, p99 {k99:.0f} ms. "
            f"Baseline: as many copies of one such record ({size:,} bytes with headers) due {rate:g}/s "
            f"({bare_outcome.pacing()}), acks=all, from when due to a bare consumer's poll ({bare_arrived:.1f}/s "
            f"arrived); max {max(baseline) * 1000:.0f} ms. {os.cpu_count()} CPUs, load average "
            f"{os.getloadavg()[0]:.1f} at the end")
    rows = p50_p99_rows(f"command to projection {{}}, {rate:g} commands/s", served, baseline,
                        "bare kafka-python produce -> consume", note)
    return [{**row, "sustained": sustained} for row in rows]


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp, Environment() as env:
        settings = identity_config.load(env.config("identity"))
        identity_migrate(settings)  # the deployment's step, before the worker starts
        identity = identity_bootstrap(settings)
        try:
            portico = through_portico(env, identity, Path(tmp))
            sample = sample_record(identity)
        finally:
            identity.close()
        bare = through_kafka(env, sample, Path(tmp))
    size = len(sample[0]) + sum(len(k) + len(v) for k, v in sample[1])
    return [row for rate in RATES for row in rows_at(rate, portico[rate], bare[rate], size)]
