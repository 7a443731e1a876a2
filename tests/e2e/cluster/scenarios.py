"""What the cluster scenarios share: the lifecycle stream driven over HTTP around a fault, a watch that
samples consumer lag and relay leadership while it lasts, the audit (losses, duplicates, e-mails), and a
rebuild of every projection compared with the table that served."""
from __future__ import annotations

import io
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg
from kafka import KafkaAdminClient

import contracts
from eventkit.projection_tables import active_table
from ops import lag
from ops.projections import run_rebuild, service_projections

from ...lifecycle_stream import Audit, Stream, audit, http_call, settled


def topics(stack) -> list[str]:
    return [stack.prefix + t.name for t in contracts.TOPICS]


@dataclass
class Watch:
    """Samples, once a second, the projections' total lag (`ops lag`'s numbers) and each relay's holder."""
    settings: object
    samples: list[tuple[float, int, dict]] = field(default_factory=list)
    failures: list[tuple[float, str]] = field(default_factory=list)  # samples `ops lag` could not take
    stop: threading.Event = field(default_factory=threading.Event)

    def __enter__(self):
        self.thread = threading.Thread(target=self._run, name="cluster-watch", daemon=True)
        self.thread.start()
        return self

    def __exit__(self, *_):
        self.stop.set()
        self.thread.join(timeout=30)

    def _run(self):
        while not self.stop.is_set():
            try:
                behind = sum(r.get("lag", 0) for r in lag.projections(self.settings))
                self.samples.append((time.monotonic(), behind, holders(self.settings)))
            except Exception as error:  # counted: ops lag should answer while a broker is away
                self.failures.append((time.monotonic(), repr(error)[:200]))
            self.stop.wait(1)

    def max_lag(self, since: float = 0, until: float = float("inf")) -> int:
        return max((n for t, n, _ in self.samples if since <= t <= until), default=0)

    def taken(self, since: float = 0, until: float = float("inf")) -> str:
        """'samples/attempts' in the window, so a lag of 0 read from no sample cannot pass for one."""
        ok = sum(1 for t, *_ in self.samples if since <= t <= until)
        return f"{ok}/{ok + sum(1 for t, _ in self.failures if since <= t <= until)}"


def holders(settings) -> dict[str, str]:
    """service -> the worker process whose relay holds the lock ('none' during a takeover)."""
    return {r["service"]: r["holder"] for r in lag.relay_leaders(settings)}


def drive_around(stack, tenant: str, headers: dict, fault, before: float = 3.0, after: float = 3.0):
    """Run the stream, apply the fault mid-way (it returns its measurements), run on a little, stop."""
    stream = Stream(http_call(stack.url("identity")), tenant, headers)
    thread = stream.start()
    time.sleep(before)
    try:
        measured = fault()
    finally:
        time.sleep(after)
        stream.stop.set()
        thread.join(timeout=120)
    return stream, measured


def settled_audit(stack, stream: Stream, infra, timeout: float = 180) -> Audit:
    return settled(lambda: audit(stream, stack.ops.databases, stack.ops.bootstrap, stack.prefix,
                                 maildir=infra.maildir), timeout=timeout)


# A work queue rather than a read model: the dispatcher writes dispatched_at and strips the sealed links
# from facts, and a rebuild would queue every e-mail again (deliveries would refuse the second copies, but
# that is the e-mail audit's proof, not this one's).
NOT_REBUILT = {"notifications.mailings.v1"}


def rebuild_differences(settings) -> tuple[list[str], int]:
    """Rebuild every projection of the stack's services beside the serving table (ops' rebuild, which
    switches to the copy) and compare the two row for row; the differences (none when equal) and the
    rows the rebuilt tables hold."""
    work = [(s, p) for s in settings.databases for p in service_projections(s) if p.name not in NOT_REBUILT]

    def one(service, projection) -> tuple[str | None, int]:
        dsn = settings.databases[service]
        with psycopg.connect(dsn) as conn:
            old = active_table(conn, projection)
        new = run_rebuild(settings, projection.name, keep_old=True, progress_file=io.StringIO())["table"]
        with psycopg.connect(dsn) as conn:
            differ = conn.execute(f"SELECT count(*) FROM ((TABLE {old} EXCEPT ALL TABLE {new}) UNION ALL"
                                  f" (TABLE {new} EXCEPT ALL TABLE {old})) d").fetchone()[0]
            rows = conn.execute(f"SELECT count(*) FROM {new}").fetchone()[0]
            conn.execute(f"DROP TABLE {old}")
        return (f"{projection.name}: {differ} of {rows} rows differ from a rebuild" if differ else None), rows

    with ThreadPoolExecutor(4) as pool:
        done = list(pool.map(lambda job: one(*job), work))
    return [d for d, _ in done if d], sum(rows for _, rows in done)


def group_members(settings, service: str) -> dict[str, int]:
    """Each of a service's consumer groups (on the stack's topics) -> members holding partitions."""
    admin = KafkaAdminClient(bootstrap_servers=settings.bootstrap, client_id="cluster-scenarios")
    try:
        groups = [g["group_id"] for g in admin.list_groups() if g["group_id"].startswith(f"{settings.prefix}{service}.")]
        described = admin.describe_groups(groups) if groups else {}
    finally:
        admin.close()
    return {g: len(d.get("members") or []) if d.get("group_state") == "Stable" else 0 for g, d in described.items()}


def wait_for(check, timeout: float, what: str, interval: float = 0.25) -> float:
    """Seconds until check() is true; AssertionError naming `what` after timeout."""
    started = time.monotonic()
    while not check():
        if time.monotonic() - started > timeout:
            raise AssertionError(f"{what} after {timeout:.0f} s")
        time.sleep(interval)
    return time.monotonic() - started
