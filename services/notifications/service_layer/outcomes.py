"""Record how a try went, then announce the deliveries that ended with EmailSent or EmailFailed.

Recording is one UPDATE, committed the moment the SMTP server has answered: the shorter that step,
the narrower the window in which a crash can send an e-mail twice (see sending.py). Announcing
happens after a batch, for every ended delivery not announced yet, in one transaction through the
service's event store and outbox that also marks them announced, with one append for all of them: an
event per delivery, never two (each delivery's stream takes exactly one event), and none lost if the
process dies in between.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta, timezone

from tenacity import RetryCallState, wait_exponential_jitter

from eventkit import metrics, telemetry
from eventkit.envelope import Metadata
from eventkit.store import StreamAppend
from eventkit.uow import UnitOfWork

from ..adapters import delivery_queue
from ..domain import outcomes

log = logging.getLogger(__name__)
ACTOR = "notifications"


class Outcomes:
    def __init__(self, pool, store, config: dict, announce_batch: int = 500):
        self.pool, self.store, self.announce_batch = pool, store, announce_batch
        self.max_attempts = config["RETRY_MAX_ATTEMPTS"]
        self._wait = wait_exponential_jitter(multiplier=config["RETRY_INITIAL_SECONDS"],
                                             max=config["RETRY_MAX_SECONDS"],
                                             jitter=config["RETRY_INITIAL_SECONDS"])

    def sent(self, delivery: dict, message_id: str, subject: str, template: str) -> None:
        with self.pool.connection() as conn:
            if not delivery_queue.mark_sent(conn, delivery, message_id, subject, template):
                log.warning("delivery %s was taken over while it was being sent", delivery["delivery_id"])
        metrics.EMAILS_SENT.labels(delivery["kind"]).inc()

    def failed(self, delivery: dict, reason: str, detail: str, smtp_code: int | None = None,
               message_id: str | None = None) -> None:
        with self.pool.connection() as conn:
            delivery_queue.mark_failed(conn, delivery, reason, detail, smtp_code, message_id)
        metrics.EMAILS_FAILED.labels(delivery["kind"], reason).inc()
        log.warning("e-mail %s to %s failed for good: %s %s", delivery["delivery_id"], delivery["recipient"],
                    reason, detail)

    def transient(self, delivery: dict, detail: str, smtp_code: int | None) -> datetime | None:
        """Try again later, unless it has been tried enough; returns when, or None if it gave up."""
        attempts = delivery["attempts"] + 1
        if attempts >= self.max_attempts:
            self.failed(delivery, "retries_exhausted", detail, smtp_code)
            return None
        at = datetime.now(timezone.utc) + timedelta(seconds=self.retry_delay(attempts))
        with self.pool.connection() as conn:
            delivery_queue.retry_later(conn, delivery, at, detail, smtp_code)
        return at

    def untried(self, deliveries: list[dict], at: datetime) -> None:
        with self.pool.connection() as conn:
            for delivery in deliveries:
                delivery_queue.release(conn, delivery, at)

    def retry_delay(self, attempts: int) -> float:
        """tenacity's exponential backoff with jitter, for the attempt that just failed."""
        state = RetryCallState(None, None, (), {})
        state.attempt_number = attempts
        return self._wait(state)

    def announce(self) -> int:
        """Append EmailSent or EmailFailed for each ended delivery not announced yet, all in one append
        (each delivery's stream with its own metadata); return how many."""
        with UnitOfWork(self.pool, self.store) as uow:
            ended = delivery_queue.unannounced(uow.conn, self.announce_batch)
            uow.append([StreamAppend(outcomes.stream_id(d["delivery_id"]), "delivery", 0, [outcomes.ended(d)],
                                     meta=self._meta(d)) for d in ended], Metadata(tenant_id="", actor=ACTOR))
            delivery_queue.mark_announced(uow.conn, [d["delivery_id"] for d in ended])
        return len(ended)

    def _meta(self, delivery: dict) -> Metadata:
        # A span of the trace that asked for the e-mail (exported while tracing is on), so the outcome's
        # event and whoever consumes it stay in that trace.
        with telemetry.span("announce e-mail outcome", delivery["traceparent"]) as traceparent:
            pass
        return Metadata(tenant_id=delivery["tenant_id"], actor=ACTOR, correlation_id=delivery["correlation_id"],
                        causation_id=delivery["event_id"], traceparent=traceparent)
