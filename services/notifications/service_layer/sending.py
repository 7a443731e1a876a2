"""The sender loop: claim due deliveries, send each over one SMTP session, record how each went.

Exactly once, as far as SMTP allows. A delivery is claimed ("sending") and that is committed before
any byte goes to the server; "sent" is committed by one UPDATE the moment the server answers the
message's DATA (EmailSent follows after the batch, see outcomes.py). So a delivery is never claimed by
two senders, and a sent one is never sent again. One window stays open, and no SMTP client can close
it: the server has accepted the message (or is about to) but "sent" is not committed yet, because the
connection broke before its 250 reply arrived, or this process or the database went away before the
UPDATE committed. The first case is retried as a transient failure; the second leaves the row
"sending" until its lease (SENDING_LEASE_SECONDS, longer than any SMTP timeout) runs out and
requeue_abandoned sends it again. Either may deliver a second copy. We choose that over losing a
password-reset link; the copy carries the same Message-ID, which lets a receiving system recognise it.
The window is one SMTP reply plus one single-row commit wide.

One sender serves every tenant, so no tenant's data may stop it: whatever goes wrong building or sending
one e-mail fails that delivery alone, recorded with its reason (messages.py, smtp.py), and a tenant whose
template is slow gives up its turn for the rest of the batch (messages.TENANT_SECONDS_PER_BATCH).
"""
from __future__ import annotations

import logging
import threading
import time
from datetime import datetime, timezone

from eventkit import telemetry

from ..adapters import delivery_queue
from ..adapters.smtp import SendFailure, SmtpMailer
from ..adapters.wakeup import Wakeup, work_until_stopped
from .messages import MessageBuilder, OverBudget, Unbuildable
from .outcomes import Outcomes

log = logging.getLogger(__name__)


class SessionLost(Exception):
    def __init__(self, retry_at: datetime):
        super().__init__("the SMTP session is gone")
        self.retry_at = retry_at


class Sender:
    def __init__(self, pool, mailer: SmtpMailer, renderer, private_keys, outcomes: Outcomes, config: dict,
                 wakeup: Wakeup):
        self.pool, self.mailer, self.renderer, self.private_keys = pool, mailer, renderer, private_keys
        self.outcomes, self.config, self.wakeup = outcomes, config, wakeup
        self._last_sweep = 0.0

    def run(self, stop: threading.Event) -> None:
        # Through a database outage, claimed rows not yet recorded keep their lease and are swept back
        # into the queue once it expires (SENDING_LEASE_SECONDS).
        try:
            work_until_stopped("sender", stop, self.wakeup, self._sweep_and_send, self.config["IDLE_WAIT_SECONDS"])
        finally:
            self.mailer.close()  # the SMTP session kept open between batches

    def _sweep_and_send(self) -> int:
        self._sweep_abandoned()
        return self.send_due()

    def send_due(self) -> int:
        """Send one batch of due deliveries; return how many were claimed."""
        with self.pool.connection() as conn:
            claimed = delivery_queue.claim_due(conn, self.config["SEND_BATCH_SIZE"])
        if claimed:
            self._send_batch(MessageBuilder(self.pool, self.renderer, self.private_keys), claimed)
            self.outcomes.announce()
        return len(claimed)

    def _send_batch(self, builder: MessageBuilder, claimed: list[dict]) -> None:
        try:
            with self.mailer.session() as session:
                for index, delivery in enumerate(claimed):
                    try:
                        self._send_one(builder, session, delivery)
                    except SessionLost as lost:  # the ones after it were not tried: they wait as long
                        self.outcomes.untried(claimed[index + 1:], lost.retry_at)
                        return
        except SendFailure as failure:  # could not open a session: nothing of the batch was tried
            log.warning("SMTP server unavailable, %d e-mails wait: %s", len(claimed), failure)
            for delivery in claimed:
                self.outcomes.transient(delivery, str(failure), failure.code)

    def _send_one(self, builder: MessageBuilder, session, delivery: dict) -> None:
        """Send and record one delivery, in a span of the trace that asked for it; raise SessionLost when
        the session is gone."""
        with telemetry.span("send e-mail", delivery.get("traceparent"), telemetry.SpanKind.CLIENT):
            self._build_and_send(builder, session, delivery)

    def _build_and_send(self, builder: MessageBuilder, session, delivery: dict) -> None:
        try:
            built = builder.build(delivery)
        except Unbuildable as error:
            self.outcomes.failed(delivery, error.reason, str(error))
            return
        except OverBudget as spent:  # to the back of the queue, not tried: the other tenants' e-mails go first
            log.warning("e-mail %s waits for a later batch: %s", delivery["delivery_id"], spent)
            self.outcomes.untried([delivery], datetime.now(timezone.utc))
            return
        try:
            session.send(built.message, built.sender, built.recipient, built.international)
        except SendFailure as failure:
            if failure.transient:
                retry_at = self.outcomes.transient(delivery, str(failure), failure.code)
            else:
                self.outcomes.failed(delivery, failure.reason, str(failure), failure.code, built.message_id)
                retry_at = None
            if failure.connection:  # the rest of the batch needs a new session
                raise SessionLost(retry_at or datetime.now(timezone.utc)) from failure
            return
        self.outcomes.sent(delivery, built.message_id, built.subject, built.template)

    def _sweep_abandoned(self) -> None:
        lease = self.config["SENDING_LEASE_SECONDS"]
        if time.monotonic() - self._last_sweep < max(lease / 4, 1):
            return
        self._last_sweep = time.monotonic()
        with self.pool.connection() as conn:
            requeued = delivery_queue.requeue_abandoned(conn, lease)
        if requeued:
            log.warning("%d e-mails were left mid-send by a stopped sender; sending them again", requeued)
        while self.outcomes.announce():  # ones a stopped sender recorded but did not announce
            pass
