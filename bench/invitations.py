"""Inviting 10,000 customers in one request, until every InvitationSent is on Kafka.

The invitations service runs as its real worker process (relay, batch worker) on a fresh database and
topics of its own. Its candidates table is filled directly with INVITATIONS customers (how they got
there is the customer import's benchmark); a username administrator is set; then the clock runs from
the request that selects all filtered customers (a filter matching every one) until a consumer has
read every InvitationSent from the topic. The baseline is producing as many records of the same size
straight to Kafka with the same producer settings (idempotent, acks=all): the floor for "on Kafka".
"""
from __future__ import annotations

import os
import tempfile
import time
import uuid
from pathlib import Path

from eventkit.envelope import Metadata
from invitations import config as invitations_config
from invitations.bootstrap import bootstrap, migrate
from invitations.domain.caller import Caller
from invitations.domain.commands import CandidateSelection, InviteCustomers, SetUsernameAdministrators
from invitations.service_layer.batches import invite_customers
from invitations.service_layer.settings import set_username_administrators

from .bare_kafka import from_start, produce_seconds
from .customer_import import KAFKA, Environment

INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "10000"))
TENANT = "bench"
SENT = "portico.invitations.invitation.sent"
STAFF = Caller(str(uuid.uuid4()), "bench-admin", "staff", frozenset({"in-house"}))


def seed_candidates(pool, customers: int) -> None:
    """Customers without a username, two addresses each, as the candidates projection holds them."""
    rows = [(TENANT, str(uuid.uuid4()), f"C{n:07d}", f"Customer {n} Ltd", "company", "Wholesale", f"rep-{n % 20}",
             "ABC"[n % 3], [f"ap@c{n}.example", f"boss@c{n}.example"]) for n in range(customers)]
    with pool.connection() as conn, conn.cursor() as cur:
        cur.executemany("INSERT INTO candidates_v1 (tenant_id, customer_id, code, name, kind, customer_type,"
                        " sales_rep, price_list, emails) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)


def read_sent(topic: str, wanted: int, timeout: float = 600) -> tuple[float, list]:
    """Read the topic from the start until `wanted` InvitationSent arrived; when, and one record."""
    seen, sample, deadline = 0, None, time.monotonic() + timeout
    with from_start(KAFKA, topic, fetch_max_bytes=50 * 1024 * 1024) as (consumer, _):
        while seen < wanted:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{seen} of {wanted} InvitationSent on Kafka after {timeout} s")
            for records in consumer.poll(timeout_ms=200).values():
                for record in records:
                    if dict(record.headers).get("ce_type") == SENT.encode():
                        seen, sample = seen + 1, sample or record
        return time.perf_counter(), sample


def run() -> list[dict]:
    with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp, Environment() as env:
        settings = invitations_config.load(env.config("invitations"))
        migrate(settings)  # the deployment's step, before the worker starts
        service = bootstrap(settings)
        try:
            seed_candidates(service.pool, INVITATIONS)
            meta = Metadata(TENANT, STAFF.username)
            set_username_administrators(SetUsernameAdministrators(meta, STAFF, ["it@bench.example"]), service.uow())
            env.start_worker("invitations", Path(tmp))
            topic = env.prefix + "portico.invitations"
            started = time.perf_counter()
            answer = invite_customers(InviteCustomers(meta, STAFF, CandidateSelection(customer_type="Wholesale")),
                                      service.uow())
            accepted = time.perf_counter()
            done, sample = read_sent(topic, INVITATIONS)
            baseline = produce_seconds(KAFKA, topic, [sample] * INVITATIONS)
        finally:
            service.close()
    if answer["customers"] != INVITATIONS:
        raise RuntimeError(f"the filter selected {answer['customers']} customers, not {INVITATIONS}")
    total = done - started
    note = (f"{INVITATIONS:,} customers selected by one filter: request answered 202 in {accepted - started:.2f} s, "
            f"all {INVITATIONS:,} InvitationSent on Kafka after {total:.1f} s; producing them bare "
            f"{baseline:.2f} s ({len(sample.value):,} bytes each)")
    return [{"benchmark": "invitations: 10,000 until all on Kafka", "value": INVITATIONS / total,
             "unit": "invitations/s", "baseline": INVITATIONS / baseline,
             "baseline_name": "the same records produced straight to Kafka", "notes": note}]
