"""E-mails per second for 10,000 invitations, and how many arrived twice (must be none).

The notifications service runs as its real worker process (relay, consumers, dispatcher, senders) on a
fresh database and topics of its own, sending over SMTP to an aiosmtpd sink in this process that
counts every message by (recipient, kind, causing event). Once the worker answers a first e-mail, the
clock starts and 10,000 InvitationSent events, each with a sealed link token, go on the invitations
topic as the invitations relay would publish them; 1,000 of them are then published a second time, as
a redelivery would. The clock stops at the 10,000th e-mail. The baseline is smtplib sending as many
messages of the same size to the same sink over one connection: the floor for "delivered".
"""
from __future__ import annotations

import os
import smtplib
import socket
import tempfile
import threading
import time
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from email.parser import BytesHeaderParser
from pathlib import Path

from aiosmtpd.controller import Controller
from kafka import KafkaProducer

import contracts
from contracts.invitations import INVITATION_CONTEXT
from eventkit import sealed
from eventkit.cloudevents import to_record
from eventkit.envelope import StoredEvent
from notifications import config as notifications_config
from notifications.bootstrap import bootstrap, migrate

from .customer_import import KAFKA, Environment

INVITATIONS = int(os.environ.get("BENCH_INVITATIONS", "10000"))
REDELIVERED = INVITATIONS // 10
# As deploy/k8s runs it: worker replicas, each with its consumers and sender threads (SKIP LOCKED shares the queue).
WORKERS = int(os.environ.get("BENCH_NOTIFICATION_WORKERS", "2"))
SENDERS = int(os.environ.get("BENCH_SENDER_THREADS", "4"))
TENANT = "bench"


class CountingSink:
    """An SMTP server that keeps, per message, its recipient, kind and causing event; nothing else."""

    def __init__(self):
        self.received: list[tuple[str, str, str]] = []
        self.sizes: list[int] = []
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        message = BytesHeaderParser().parsebytes(envelope.content)  # the headers are all it counts by
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, message["X-Portico-Kind"], message["X-Portico-Event-Id"]))
            self.sizes.append(len(envelope.content))
        return "250 OK"

    def count(self) -> int:
        with self._lock:
            return len(self.received)

    def duplicates(self) -> int:
        return sum(n - 1 for n in Counter(self.received).values() if n > 1)


def invitation_sent(public_key: str, n: int) -> StoredEvent:
    invitation_id, now = str(uuid.uuid4()), datetime.now(timezone.utc)
    data = {"invitation_id": invitation_id, "customer_id": str(uuid.uuid4()), "customer_code": f"C{n:07d}",
            "customer_name": f"Customer {n} Ltd", "emails": [f"buyer@c{n}.example"], "address_source": "customer_default",
            "company_name": "Bench Distribution", "invited_by": {"user_id": str(uuid.uuid4()), "username": "bench"},
            "token_hash": "0" * 64, "invitation_token": sealed.seal(uuid.uuid4().hex, public_key, INVITATION_CONTEXT),
            "expires_at": (now + timedelta(days=14)).isoformat(), "batch_id": str(uuid.uuid4())}
    return StoredEvent(n, f"invitation-{invitation_id}", "invitation", 1, uuid.uuid4(),
                       "portico.invitations.invitation.sent", 1, TENANT, now, "bench", uuid.uuid4(), None, None, data,
                       "/portico/invitations")


def publish(topic: str, events: list[StoredEvent]) -> None:
    producer = KafkaProducer(bootstrap_servers=KAFKA, acks="all", linger_ms=5)
    try:
        for event in events:
            key, value, headers = to_record(event)
            producer.send(topic, key=key, value=value, headers=headers)
        producer.flush(timeout=120)
    finally:
        producer.close()


def wait_for(sink: CountingSink, count: int, timeout: float = 900) -> float:
    deadline = time.monotonic() + timeout
    while sink.count() < count:
        if time.monotonic() > deadline:
            raise TimeoutError(f"{sink.count()} of {count} e-mails after {timeout} s")
        time.sleep(0.05)
    return time.perf_counter()


def smtplib_seconds(port: int, size: int, count: int) -> float:
    """The floor: one connection, `count` messages of `size` bytes, nothing else."""
    body = ("x" * 76 + "\r\n") * max(size // 78, 1)
    started = time.perf_counter()
    with smtplib.SMTP("127.0.0.1", port) as client:
        for n in range(count):
            client.sendmail("bench@portico.example", [f"floor{n}@bench.example"], f"Subject: {n}\r\n\r\n{body}")
    return time.perf_counter() - started


class _Environment(Environment):
    """The customer import's environment, with a database for the notifications service too."""

    def __init__(self):
        super().__init__()
        self.databases["notifications"] = self.databases["identity"].replace("identity", "notifications")

    def start_notifications(self, log_dir: Path, smtp_port: int) -> None:
        extra = {"PORTICO_SMTP_HOST": "127.0.0.1", "PORTICO_SMTP_PORT": str(smtp_port),
                 "PORTICO_SENDER_THREADS": str(SENDERS), "PORTICO_DB_POOL_SIZE": str(2 * SENDERS + 8),
                 "PORTICO_IDLE_WAIT_SECONDS": "0.05"}
        saved = dict(os.environ)
        os.environ.update(extra)  # start_worker passes this process's environment on
        try:
            for _ in range(WORKERS):
                self.start_worker("notifications", log_dir)
        finally:
            os.environ.clear()
            os.environ.update(saved)


def run() -> list[dict]:
    sink = CountingSink()
    with tempfile.TemporaryDirectory(prefix="portico-bench-") as tmp, _Environment() as env:
        controller = Controller(sink, hostname="127.0.0.1", port=_free_port())
        controller.start()
        settings = notifications_config.load(env.config("notifications"))
        migrate(settings)  # the deployment's step, before the worker starts
        service = bootstrap(settings)
        try:
            env.start_notifications(Path(tmp), controller.port)
            topic, public_key = env.prefix + contracts.topics.INVITATIONS, env.keys["SEALED_PUBLIC_KEY"]
            publish(topic, [invitation_sent(public_key, 0)])
            wait_for(sink, 1, timeout=120)  # the worker is up and its consumers have their partitions
            events = [invitation_sent(public_key, n) for n in range(1, INVITATIONS + 1)]
            started = time.perf_counter()
            publish(topic, events)
            publish(topic, events[:REDELIVERED])
            done = wait_for(sink, INVITATIONS + 1)
            time.sleep(3)  # a second copy of anything would have arrived by now
            received, duplicates, size = sink.count() - 1, sink.duplicates(), sorted(sink.sizes)[len(sink.sizes) // 2]
            with service.pool.connection() as conn:
                rows = conn.execute("SELECT status, count(*) AS n FROM deliveries GROUP BY status").fetchall()
            statuses = {r["status"]: r["n"] for r in rows}
            baseline = smtplib_seconds(controller.port, size, INVITATIONS)
        finally:
            service.close()
            controller.stop()
    total = done - started
    note = (f"{INVITATIONS:,} InvitationSent ({REDELIVERED:,} of them published twice), {WORKERS} worker processes with "
            f"{SENDERS} sender threads each: "
            f"{received:,} e-mails received, {duplicates} duplicates, deliveries by status {statuses}; "
            f"all sent {total:.1f} s after the first event was published; smtplib alone {baseline:.1f} s "
            f"({size:,} bytes each)")
    if duplicates or received != INVITATIONS:
        raise RuntimeError(f"e-mails not exactly once: {note}")
    return [{"benchmark": "notifications: 10,000 invitation e-mails", "value": INVITATIONS / total, "unit": "e-mails/s",
             "baseline": INVITATIONS / baseline, "baseline_name": "smtplib alone, one connection", "notes": note},
            {"benchmark": "notifications: e-mails sent twice", "value": duplicates, "unit": "duplicates"}]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
