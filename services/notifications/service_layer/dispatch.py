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

import psycopg

from eventkit.projection_tables import active_table

from ..adapters import delivery_queue
from ..adapters.fact_tables import FactReader
from ..adapters.projections import mailings, users
from ..adapters.wakeup import DELIVERIES, Wakeup, work_until_stopped
from ..domain.composing import Delivery, deliveries_for, is_stale
from ..domain.facts import Facts, SenderSettings
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
# Once queued, the sealed link tokens live only in the deliveries, until those end.
_DISPATCHED = ("UPDATE {mailings} SET dispatched_at = now(), facts = facts - 'links'"
               " WHERE (event_id, kind) IN (SELECT * FROM unnest(%s::uuid[], %s::text[]))")
# Mailings whose e-mails are queued already: a rebuilt mailings table replays ones that went out long ago.
_QUEUED = "SELECT DISTINCT event_id, kind FROM deliveries WHERE event_id = ANY(%s)"


class Dispatcher:
    def __init__(self, pool, config: dict, wakeup: Wakeup, batch_size: int = 500):
        self.pool, self.config, self.wakeup, self.batch_size = pool, config, wakeup, batch_size
        self.dispatched = 0

    def run(self, stop: threading.Event) -> None:
        work_until_stopped("dispatcher", stop, self.wakeup, self.dispatch_waiting, self.config["IDLE_WAIT_SECONDS"])

    def dispatch_waiting(self) -> int:
        """Dispatch the mailings whose facts are ready, in one transaction; return how many."""
        with self.pool.connection() as conn, conn.transaction():
            table, facts = active_table(conn, mailings.PROJECTION), FactReader(conn)
            rows = conn.execute(_WAITING.format(mailings=table, tenants=facts.tenants), {
                "wait": self.config["FACTS_WAIT_SECONDS"], "user_kinds": _USER_KINDS, "admin_kinds": _ADMIN_KINDS,
                "users": users.NAME, "limit": self.batch_size}).fetchall()
            if not rows:
                return 0
            queued = {(r["event_id"], r["kind"]) for r in conn.execute(_QUEUED, ([r["event_id"] for r in rows],))}
            facts.preload(rows)  # the batch's recipients, two queries rather than two per mailing
            senders: dict[str, SenderSettings] = {}
            delivery_queue.enqueue(conn, [(row, delivery) for row in rows if (row["event_id"], row["kind"]) not in queued
                                          for delivery in self._addressed(conn, facts, senders, row)])
            conn.execute(_DISPATCHED.format(mailings=table), ([r["event_id"] for r in rows], [r["kind"] for r in rows]))
            conn.execute(f"NOTIFY {DELIVERIES}")
        self.dispatched += len(rows)
        return len(rows)

    def _addressed(self, conn, facts: FactReader, senders: dict, mailing: dict) -> list[Delivery]:
        """The mailing's deliveries; none, logged, if its data cannot be addressed: one tenant's bad data
        must not fail the transaction that queues every tenant's e-mails (the database's errors must)."""
        try:
            return self._deliveries(conn, facts, senders, mailing)
        except psycopg.Error:
            raise
        except Exception:
            log.exception("the %s e-mail of event %s (tenant %s) cannot be addressed; it is not sent",
                          mailing["kind"], mailing["event_id"], mailing["tenant_id"])
            return []

    def _deliveries(self, conn, facts: FactReader, senders: dict, mailing: dict) -> list[Delivery]:
        now, max_age = datetime.now(timezone.utc), timedelta(seconds=self.config["STALE_AFTER_SECONDS"])
        if is_stale(mailing["facts"], mailing["occurred_at"], now, max_age):
            log.info("no %s e-mail for event %s: too late to be useful", mailing["kind"], mailing["event_id"])
            return []
        tenant_id = mailing["tenant_id"]
        if tenant_id not in senders:
            senders[tenant_id] = sender_for(conn, tenant_id, self.config)
        user = facts.user(tenant_id, mailing["user_id"])
        customer_id = mailing["customer_id"] or (user.customer_id if user else None)
        found = Facts(senders[tenant_id], facts.tenant(tenant_id), user, facts.customer(tenant_id, customer_id))
        deliveries = deliveries_for(mailing["event_id"], mailing["kind"], mailing["facts"], found)
        if not deliveries:
            log.warning("no recipient for the %s e-mail of event %s", mailing["kind"], mailing["event_id"])
        return deliveries
