"""Command-to-projection latency, p50 and p99, at a steady command rate, beside a bare Kafka round trip.

Identity and invitations run as their real worker processes on fresh databases and topics of their
own. RATE times a second for SECONDS, a customer is created through identity's service layer (one
transaction: event store and outbox); the latency runs from the moment the command is due until the
customer is visible in the invitations service's candidates table, so it crosses the event store,
identity's outbox relay, Kafka and the invitations consumer. A trigger on that table NOTIFYs each new
row; PostgreSQL delivers a notification when its transaction commits, the moment readers can see the
row. A consumer with no group on identity's topic notes when each event got there, to tell the
two halves apart in the notes. The baseline sends as many copies of one CustomerCreated record (value
and headers) at the same rate with kafka-python (the relay's producer settings: idempotent, acks=all)
to a topic of the run, read by a bare consumer with no group: the floor under any projection fed over
Kafka. Commands and records go out from CLIENTS threads, each timed from when it was due.
"""
from __future__ import annotations

import os
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import psycopg
from kafka import KafkaConsumer, TopicPartition

from contracts.topics import IDENTITY
from eventkit.cloudevents import to_record
from eventkit.envelope import Metadata
from eventkit.kafka import TopicSpec, create_producer, ensure_topics
from identity import config as identity_config
from identity.bootstrap import bootstrap as identity_bootstrap, migrate as identity_migrate
from identity.domain.commands import CreateCustomer
from identity.domain.customer import customer_id_for, stream_id
from identity.service_layer.customers import create_customer
from invitations import config as invitations_config
from invitations.bootstrap import migrate as invitations_migrate

from .customer_import import KAFKA, Environment, _wait_for
from .http_load import p50_p99_ms, p50_p99_rows

RATE = float(os.environ.get("BENCH_LATENCY_RATE", "50"))
SECONDS = float(os.environ.get("BENCH_LATENCY_SECONDS", "20"))
CLIENTS, WARM_UP, TENANT, CHANNEL = 8, 10, "bench", "bench_candidate_seen"
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
    """When each key arrived, by perf_counter, as a listener thread records them."""

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


def listen_to_candidates(dsn: str) -> Callable[[Arrivals], None]:
    conn = psycopg.connect(dsn, autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")  # before the caller sends anything

    def listen(arrivals: Arrivals) -> None:
        with conn:
            while not arrivals.stop.is_set():
                for note in conn.notifies(timeout=0.5):
                    arrivals.at.setdefault(note.payload, time.perf_counter())
    return listen


def listen_to_topic(topic: str) -> Callable[[Arrivals], None]:
    consumer = KafkaConsumer(bootstrap_servers=KAFKA, enable_auto_commit=False, client_id="bench-latency")
    partitions = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
    consumer.assign(partitions)
    consumer.seek_to_end(*partitions)
    for tp in partitions:
        consumer.position(tp)  # resolve the end now, not after the first record is sent

    def listen(arrivals: Arrivals) -> None:
        try:
            while not arrivals.stop.is_set():
                for records in consumer.poll(timeout_ms=200).values():
                    now = time.perf_counter()
                    for record in records:
                        arrivals.at.setdefault(record.key.decode(), now)
        finally:
            consumer.close()
    return listen


def at_steady_rate(send: Callable[[int], str], count: int, rate: float) -> tuple[dict[str, float], float]:
    """send(n) for n < count, the n-th due n/rate s after the start, from CLIENTS threads so that one slow
    command does not hold back the next; (key -> when it was due, seconds). Timing from when a command
    was due, not when a thread got to it, keeps a stall in the figures (no coordinated omission)."""
    issued, began = {}, time.perf_counter()

    def call(n: int) -> None:
        issued[send(n)] = began + n / rate

    with ThreadPoolExecutor(CLIENTS, thread_name_prefix="bench-client") as clients:
        calls = []
        for n in range(count):
            delay = began + n / rate - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            calls.append(clients.submit(call, n))
        for done in calls:
            done.result()
    return issued, time.perf_counter() - began


def at_steady_rate_warmed(send: Callable[[int], str], arrivals: Arrivals, count: int,
                          warm_up_timeout: float) -> tuple[dict[str, float], float]:
    """at_steady_rate, after WARM_UP sends that are not measured have arrived."""
    arrivals.wait_for([send(count + n) for n in range(WARM_UP)], timeout=warm_up_timeout)
    return at_steady_rate(send, count, RATE)


def through_portico(env: Environment, identity, tmp: Path, count: int) -> tuple[list[float], list[float], float]:
    """(command to candidates row, command to identity's topic, seconds)."""
    invitations_settings = invitations_config.load({"DATABASE_URL": env.dsn("invitations"), "KAFKA_BOOTSTRAP": KAFKA,
                                                    "TOPIC_PREFIX": env.prefix, **env.keys})
    invitations_migrate(invitations_settings)  # its tables, for the trigger, before its worker starts
    with psycopg.connect(env.dsn("invitations"), autocommit=True) as conn:
        conn.execute(SEEN_TRIGGER)
    projected = Arrivals().start(listen_to_candidates(env.dsn("invitations")))
    published = Arrivals().start(listen_to_topic(env.prefix + IDENTITY))  # where the time goes
    for service in ("identity", "invitations"):
        env.start_worker(service, tmp)
    try:
        def send(n: int) -> str:
            code, fields = customer(n)
            create_customer(CreateCustomer(Metadata(TENANT, "bench"), code, fields), identity.uow())
            return code

        issued, seconds = at_steady_rate_warmed(send, projected, count, warm_up_timeout=300)  # groups join
        stream_of = lambda code: stream_id(customer_id_for(TENANT, code))  # noqa: E731 (the record's key)
        return projected.since(issued), published.since(issued, stream_of), seconds
    finally:
        projected.close()
        published.close()


def through_kafka(env: Environment, count: int, sample: tuple[bytes, list]) -> tuple[list[float], float]:
    topic = env.prefix + "bench.latency"
    ensure_topics(KAFKA, [TopicSpec("bench.latency", 6)], env.prefix)
    arrivals = Arrivals().start(listen_to_topic(topic))
    producer = create_producer(KAFKA, "bench-latency")
    try:
        def send(n: int) -> str:
            key = f"K{n:07d}"
            producer.send(topic, key=key.encode(), value=sample[0], headers=sample[1])
            return key

        issued, seconds = at_steady_rate_warmed(send, arrivals, count, warm_up_timeout=60)
        return arrivals.since(issued), seconds
    finally:
        producer.close()
        arrivals.close()


def sample_record(identity) -> tuple[bytes, list]:
    """One CustomerCreated record's value and headers, for the baseline to send as many bytes."""
    with identity.pool.connection() as conn:
        [event] = identity.store.read_all(conn, after=0, limit=1)
    _, value, headers = to_record(event)
    return value, headers


def run() -> list[dict]:
    count = int(RATE * SECONDS)
    with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp, Environment() as env:
        settings = identity_config.load({"DATABASE_URL": env.dsn("identity"), "KAFKA_BOOTSTRAP": KAFKA,
                                         "TOPIC_PREFIX": env.prefix, **env.keys})
        identity_migrate(settings)  # the deployment's step, before the worker starts
        identity = identity_bootstrap(settings)
        try:
            served, on_kafka, seconds = through_portico(env, identity, Path(tmp), count)
            sample = sample_record(identity)
        finally:
            identity.close()
        bare, bare_seconds = through_kafka(env, count, sample)
    size = len(sample[0]) + sum(len(k) + len(v) for k, v in sample[1])
    k50, k99 = p50_p99_ms(on_kafka)
    done = count / seconds
    behind = "" if done >= 0.95 * RATE else (f"NOT SUSTAINED: commands were done at {done:.1f}/s, not {RATE:g}/s, "
                                             "so the latencies include a growing queue. ")
    note = (f"{behind}{count:,} customers created through identity's service layer, due {RATE:g}/s for {SECONDS:g} s "
            f"({done:.1f}/s done, {CLIENTS} client threads), each timed from when it was due until its "
            f"row committed in invitations' candidates (identity and invitations worker processes); max "
            f"{max(served) * 1000:.0f} ms; on identity's topic after p50 {k50:.0f} ms, p99 {k99:.0f} ms. "
            f"Baseline: as many copies of one such record ({size:,} bytes with headers) at "
            f"{count / bare_seconds:.1f}/s, acks=all, from when due to a bare consumer's poll; "
            f"max {max(bare) * 1000:.0f} ms. {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end")
    return p50_p99_rows(f"command to projection {{}}, {RATE:g} commands/s", served, bare,
                        "bare kafka-python produce -> consume", note)
