"""Customer import end to end, in rows per second, beside PostgreSQL's COPY of the same rows.

A generated file of CUSTOMERS companies with two contacts each (100,000 + 200,000 rows by default)
is submitted as an import job, as the API does; the clock stops when every projection has all of
it: identity's customer list (every customer, every contact counted) and the invitations service's
candidates. Identity and invitations run as their real worker processes on fresh databases and
topics of their own. The baseline is COPY of the same CSV into a plain table of text columns. Beside
them, the ceiling kafka-python sets: a sample of the import's own records produced again, bare, with
the relay's producer settings; one relay hands a database's events to Kafka, so no import is faster.
"""
from __future__ import annotations

import base64
import csv
import json
import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg
from kafka import KafkaAdminClient

import contracts
from contracts.topics import IDENTITY
from eventkit import sealed
from eventkit.kafka import TopicSpec, ensure_topics
from identity import config as identity_config
from identity.adapters.signing import generate_signing_key
from identity.bootstrap import bootstrap, migrate
from identity.domain.import_rows import COLUMNS
from identity.service_layer import imports
from invitations import config as invitations_config
from invitations.bootstrap import migrate as migrate_invitations

from . import cpu
from .bare_kafka import produce_seconds, read_records

CUSTOMERS = int(os.environ.get("BENCH_CUSTOMERS", "100000"))
CEILING_SAMPLE = 30_000  # of the import's records, produced again bare: enough for a steady rate
ADMIN_DSN = os.environ.get("PORTICO_PG_ADMIN_DSN", "postgresql://portico_admin:portico_admin@127.0.0.1:54329/postgres")
KAFKA = os.environ.get("PORTICO_KAFKA_BOOTSTRAP", "127.0.0.1:19092")
ROOT = Path(__file__).resolve().parent.parent
TYPES, REPS, LISTS = ("Wholesale", "Retail", "Trade", "Export"), [f"rep-{n}" for n in range(20)], "ABC"


def write_file(path: Path, customers: int) -> int:
    """The import file: each company row followed by its two contacts; returns the number of rows."""
    with open(path, "w", newline="") as f:
        out = csv.DictWriter(f, COLUMNS)
        out.writeheader()
        for n in range(1, customers + 1):
            code = f"C{n:07d}"
            out.writerow({"record_type": "company", "customer_code": code, "name": f"Customer {n} Ltd",
                          "receivable_account": f"1200-{n}", "customer_type": TYPES[n % 4],
                          "sales_rep": REPS[n % 20], "price_list": LISTS[n % 3],
                          "emails": f"ap@c{n}.example;boss@c{n}.example", "phone": f"555-{n % 10000:04d}",
                          "billing_line1": f"{n} Main Street", "billing_city": "Leeds",
                          "billing_postal_code": "LS1 4AB", "billing_country": "GB"})
            for first, title in (("Jane", "Buyer"), ("Raj", "Accounts payable")):
                out.writerow({"record_type": "contact", "customer_code": code, "first_name": first,
                              "last_name": f"Person{n}", "email": f"{first.lower()}@c{n}.example", "title": title})
    return customers * 3


def copy_seconds(dsn: str, path: Path) -> float:
    """How long COPY takes to load the file into a plain table of text columns."""
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE TABLE copy_baseline ({', '.join(f'{c} text' for c in COLUMNS)})")
        started = time.perf_counter()
        with conn.cursor().copy("COPY copy_baseline FROM STDIN (FORMAT csv, HEADER true)") as copy, \
                open(path, "rb") as f:
            while chunk := f.read(1024 * 1024):
                copy.write(chunk)
        return time.perf_counter() - started


def fresh_keys() -> dict:
    """Every key a deployment has (deploy/local/keys.sh), made for one run. People's values are sealed (issue 17):
    the other services open them through identity's key release, each with its own credential (PERSONAL_DATA_CALLERS)."""
    pair = sealed.generate_key_pair()
    return {"JWT_SIGNING_KEY": generate_signing_key(), "SEALED_PUBLIC_KEY": pair["public_key"],
            "SEALED_PRIVATE_KEY": pair["private_key"], "SUBJECT_KEK": base64.b64encode(os.urandom(32)).decode(),
            "PERSONAL_DATA_CALLERS": {s: secrets.token_urlsafe(32) for s in ("invitations", "notifications", "documents")}}


class Environment:
    """Fresh databases, topics and keys for one run; the services' workers as processes."""

    def __init__(self):
        run = uuid.uuid4().hex[:8]
        self.prefix = f"bench-{run}."
        self.databases = {s: f"bench_{run}_{s}" for s in ("identity", "invitations", "copy")}
        self.workers: list[subprocess.Popen] = []
        self.keys = fresh_keys()
        self.tokens = self.keys["PERSONAL_DATA_CALLERS"]
        self.identity_url: str | None = None

    def dsn(self, service: str) -> str:
        return psycopg.conninfo.make_conninfo(ADMIN_DSN, dbname=self.databases[service])

    def __enter__(self):
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            for name in self.databases.values():
                conn.execute(f'CREATE DATABASE "{name}"')
        ensure_topics(KAFKA, contracts.TOPICS, self.prefix)
        return self

    def _environment(self, service: str) -> dict:
        env = {k: v for k, v in os.environ.items() if k != "PORTICO_METRICS_PORT"}
        env.update({f"PORTICO_{k}": v if isinstance(v, str) else json.dumps(v) for k, v in self.keys.items()})
        env.update({"PORTICO_DATABASE_URL": self.dsn(service), "PORTICO_KAFKA_BOOTSTRAP": KAFKA,
                    "PORTICO_TOPIC_PREFIX": self.prefix, "PYTHONPATH": f"{ROOT}:{ROOT / 'services'}"})
        if service in self.tokens:
            env.update({"PORTICO_IDENTITY_URL": self._key_release(), "PORTICO_PERSONAL_DATA_TOKEN": self.tokens[service]})
        return env

    def config(self, service: str) -> dict:
        """A service's settings for this run, for a bootstrap in the bench's own process."""
        config = {"DATABASE_URL": self.dsn(service), "KAFKA_BOOTSTRAP": KAFKA, "TOPIC_PREFIX": self.prefix, **self.keys}
        if service in self.tokens:
            config.update(IDENTITY_URL=self._key_release(), PERSONAL_DATA_TOKEN=self.tokens[service])
        return config

    def start_worker(self, service: str, log_dir: Path) -> None:
        env = self._environment(service)
        log = open(log_dir / f"{service}-worker.log", "wb")
        self.workers.append(subprocess.Popen([sys.executable, "-m", f"{service}.entrypoints.worker"], cwd=ROOT,
                                             env=env, stdout=log, stderr=subprocess.STDOUT))

    def _key_release(self) -> str:
        """identity's web app (its key release of people's data keys) on a port of its own, started once."""
        if self.identity_url is None:
            migrate(identity_config.load({"DATABASE_URL": self.dsn("identity"), "KAFKA_BOOTSTRAP": KAFKA,
                                          "TOPIC_PREFIX": self.prefix, **self.keys}))  # idempotent
            with socket.socket() as probe:
                probe.bind(("127.0.0.1", 0))
                port = probe.getsockname()[1]
            env = self._environment("identity")
            self.workers.append(subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--pythonpath", f"{ROOT},{ROOT / 'services'}", "-c",
                 str(ROOT / "deploy" / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
                 "identity.entrypoints.app:create_app()"], cwd=ROOT, env=env,
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            self.identity_url = f"http://127.0.0.1:{port}"
            _wait_for(lambda: _answers(f"{self.identity_url}/health/ready"), "identity's key release", timeout=120)
        return self.identity_url

    def __exit__(self, *exc):
        for worker in self.workers:
            worker.terminate()
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            for name in self.databases.values():
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._drop_topics_and_groups()

    def _drop_topics_and_groups(self) -> None:
        """The run's topics and consumer groups, so that runs don't pile up on the broker."""
        admin = KafkaAdminClient(bootstrap_servers=KAFKA, client_id="portico-bench")
        try:
            groups = [g["group_id"] for g in admin.list_groups() if g["group_id"].startswith(self.prefix)]
            if groups:
                admin.delete_groups(groups)
            admin.delete_topics([t for t in admin.list_topics() if t.startswith(self.prefix)])
        except Exception as error:  # housekeeping only: the figures are already measured
            print(f"[bench] could not remove {self.prefix}* from the broker: {error}", file=sys.stderr)
        finally:
            admin.close()


def _count(dsn: str, sql: str) -> int:
    """The count, or -1 while the server refuses a connection (a shared one at max_connections): asked again."""
    try:
        with psycopg.connect(dsn) as conn:
            return conn.execute(sql).fetchone()[0] or 0
    except psycopg.errors.UndefinedTable:
        return 0
    except psycopg.OperationalError:
        return -1


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as answer:
            return answer.status == 200
    except OSError:
        return False


def _wait_for(check, what: str, timeout: float = 3600) -> float:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} not reached after {timeout} s")
        time.sleep(0.25)
    return time.perf_counter()


def _imported(identity, env: Environment, path: Path) -> tuple[dict, float, float]:
    """The file submitted as an import job, as the API does: (the job's report, seconds until the job had
    written everything, seconds until every projection had all of it)."""
    started = time.perf_counter()
    with open(path, "rb") as f:
        job = imports.submit(identity.pool, {
            "tenant_id": "bench", "actor": "bench", "traceparent": None, "filename": path.name,
            "file_format": "csv", "dry_run": False, "skip_invalid": False, "customer_types": []}, f)
    ident, invit = env.dsn("identity"), env.dsn("invitations")
    written = _wait_for(lambda: _count(ident, f"SELECT count(*) FROM import_jobs WHERE job_id = '{job}'"
                                              " AND status IN ('succeeded', 'rejected', 'failed')") == 1, "job end")
    status = imports.report(identity.pool, "bench", job, problems=3)
    if status["status"] != "succeeded":
        raise RuntimeError(f"the bench import did not succeed: {status}")
    _wait_for(lambda: _count(ident, "SELECT sum(contacts) FROM customers_v1") == 2 * CUSTOMERS and
              _count(ident, "SELECT count(*) FROM customers_v1") == CUSTOMERS, "identity's customer list")
    done = _wait_for(lambda: _count(invit, "SELECT count(*) FROM candidates_v1") == CUSTOMERS,
                     "the invitation candidates")
    return status, written - started, done - started


def produce_ceiling(env: Environment) -> tuple[float, int]:
    """(records/s, records): a sample of the import's own records, as identity's relay handed them to Kafka,
    produced again straight to a topic of the same partitions with the relay's producer settings. identity's
    relay is one producer (one active relay a database), so no import goes faster than this, whatever the
    rest costs."""
    source, scratch = env.prefix + IDENTITY, "bench.produce-ceiling"
    spec = next(t for t in contracts.TOPICS if t.name == IDENTITY)
    ensure_topics(KAFKA, [TopicSpec(scratch, spec.partitions)], env.prefix)
    records = read_records(KAFKA, source, CEILING_SAMPLE)
    return len(records) / produce_seconds(KAFKA, env.prefix + scratch, records), len(records)


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp, Environment() as env:
        path = Path(tmp) / "customers.csv"
        rows = write_file(path, CUSTOMERS)
        copy = copy_seconds(env.dsn("copy"), path)
        settings = identity_config.load({"DATABASE_URL": env.dsn("identity"), "KAFKA_BOOTSTRAP": KAFKA,
                                         "TOPIC_PREFIX": env.prefix, **env.keys})
        migrate(settings)  # the deployment's step, before the workers start: each service's own
        migrate_invitations(invitations_config.load({"DATABASE_URL": env.dsn("invitations"), "KAFKA_BOOTSTRAP": KAFKA,
                                                     "TOPIC_PREFIX": env.prefix, **env.keys}))
        identity = bootstrap(settings)
        for service in ("identity", "invitations"):
            env.start_worker(service, Path(tmp))
        try:
            with cpu.phase("customer import, rows until every projection has them", rows,
                           databases=tuple(env.databases.values())):
                status, job_only, total = _imported(identity, env, path)
            produced, sampled = produce_ceiling(env)
        finally:
            identity.close()
    events = status["events_written"]
    note = (f"{CUSTOMERS:,} customers + {2 * CUSTOMERS:,} contacts ({rows:,} rows, "
            f"{events:,} events); job {job_only:.1f} s, all projections {total:.1f} s; COPY {copy:.2f} s")
    # Rows a second if handing the events to Kafka cost nothing else: the import's rows over the time its
    # events take through one kafka-python producer.
    ceiling_note = (f"{sampled:,} of the import's records produced again bare: {produced:,.0f} records/s; "
                    f"{events / rows:.2f} events a row")
    return [
        {"benchmark": "customer import: end to end", "value": rows / total, "unit": "rows/s",
         "baseline": rows / copy, "baseline_name": "COPY into a plain table", "notes": note},
        {"benchmark": "customer import: job until written", "value": rows / job_only, "unit": "rows/s",
         "baseline": rows / copy, "baseline_name": "COPY into a plain table"},
        {"benchmark": "customer import: ceiling of one kafka-python producer", "value": produced * rows / events,
         "unit": "rows/s", "notes": ceiling_note},
    ]
