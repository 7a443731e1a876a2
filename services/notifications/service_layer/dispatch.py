"""The dispatcher: turns each waiting mailing into one queued delivery per recipient.

A mailing whose recipients are the user's addresses waits until the users projection has processed
its event. Both consumers read the same partition, but each at its own pace; once the users
projection has processed the event, it has processed the whole user stream before it (one stream,
one partition), so the addresses it holds are the ones that were current then. A mailing for the
username administrators waits until the tenant has some. Neither waits longer than FACTS_WAIT_SECONDS:
an event the facts consumer dead-lettered must not hold an e-mail back for ever.
"""
from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta, timezone

from eventkit.projection_tables import active_table

from ..adapters import delivery_queue, fact_tables
from ..adapters.projections import mailings, tenants, users
from ..domain.composing import deliveries_for, is_stale
from ..domain.facts import Facts
from ..domain.kinds import ADMINISTRATORS, KINDS, USER
from .settings import sender_for

log = logging.getLogger(__name__)
_USER_KINDS = [k.name for k in KINDS.values() if k.audience == USER]
_ADMIN_KINDS = [k.name for k in KINDS.values() if k.audience == ADMINISTRATORS]
_WAITING = """
SELECT m.* FROM {mailings} m
WHERE m.dispatched_at IS NULL AND (
    m.recorded_at < now() - make_interval(secs => %(wait)s)
    OR (m.kind <> ALL(%(user_kinds)s) AND m.kind <> ALL(%(admin_kinds)s))
    OR (m.kind = ANY(%(user_kinds)s) AND EXISTS (
        SELECT 1 FROM processed_events p WHERE p.consumer = %(users)s AND p.event_id = m.event_id))
    OR (m.kind = ANY(%(admin_kinds)s) AND EXISTS (
        SELECT 1 FROM {tenants} t WHERE t.tenant_id = m.tenant_id AND cardinality(t.username_administrators) > 0)))
ORDER BY m.recorded_at LIMIT %(limit)s FOR UPDATE OF m SKIP LOCKED
"""


class Dispatcher:
    def __init__(self, pool, config: dict, batch_size: int = 200):
        self.pool, self.config, self.batch_size = pool, config, batch_size
        self.dispatched = 0

    def run(self, stop: threading.Event) -> None:
        while not stop.is_set():
            if self.dispatch_waiting() == 0:
                stop.wait(self.config["IDLE_WAIT_SECONDS"])

    def dispatch_waiting(self) -> int:
        """Dispatch the mailings whose facts are ready, in one transaction; return how many."""
        with self.pool.connection() as conn, conn.transaction():
            table = active_table(conn, mailings.PROJECTION)
            rows = conn.execute(_WAITING.format(mailings=table, tenants=active_table(conn, tenants.PROJECTION)), {
                "wait": self.config["FACTS_WAIT_SECONDS"], "user_kinds": _USER_KINDS, "admin_kinds": _ADMIN_KINDS,
                "users": users.NAME, "limit": self.batch_size}).fetchall()
            for row in rows:
                self._dispatch(conn, row)
                conn.execute(f"UPDATE {table} SET dispatched_at = now() WHERE event_id = %s AND kind = %s",
                             (row["event_id"], row["kind"]))
        self.dispatched += len(rows)
        return len(rows)

    def _dispatch(self, conn, mailing: dict) -> None:
        if _already_queued(conn, mailing):  # a rebuilt mailings table: its e-mails went out long ago
            return
        now = datetime.now(timezone.utc)
        if is_stale(mailing["facts"], mailing["occurred_at"], now, timedelta(seconds=self.config["STALE_AFTER_SECONDS"])):
            log.info("no %s e-mail for event %s: too late to be useful", mailing["kind"], mailing["event_id"])
            return
        tenant_id = mailing["tenant_id"]
        user = fact_tables.user(conn, tenant_id, mailing["user_id"])
        customer_id = mailing["customer_id"] or (user.customer_id if user else None)
        facts = Facts(sender_for(conn, tenant_id, self.config), fact_tables.tenant(conn, tenant_id), user,
                      fact_tables.customer(conn, tenant_id, customer_id))
        deliveries = deliveries_for(mailing["event_id"], mailing["kind"], mailing["facts"], facts)
        if not deliveries:
            log.warning("no recipient for the %s e-mail of event %s", mailing["kind"], mailing["event_id"])
        delivery_queue.enqueue(conn, mailing, deliveries)


def _already_queued(conn, mailing: dict) -> bool:
    return conn.execute("SELECT 1 FROM deliveries WHERE event_id = %s AND kind = %s LIMIT 1",
                        (mailing["event_id"], mailing["kind"])).fetchone() is not None
