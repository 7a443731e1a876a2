"""The delivery queue in the `deliveries` table: enqueue, claim what is due, record how each try went.

A claim is identified by its `sending_since` timestamp: only the sender holding that claim can record
the outcome, so a row taken over after its lease expired is not finished twice.
"""
from __future__ import annotations

from datetime import datetime

from psycopg.types.json import Jsonb

from ..domain.composing import Delivery, person_addressed

_ENQUEUE = """
INSERT INTO deliveries (delivery_id, tenant_id, event_id, event_type, kind, recipient, sender, reply_to, context,
                        correlation_id, traceparent, person)
VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (event_id, recipient, kind) DO NOTHING
"""
_CLAIM = """
UPDATE deliveries SET status = 'sending', sending_since = clock_timestamp()
WHERE delivery_id IN (SELECT delivery_id FROM deliveries WHERE status = 'queued' AND next_attempt_at <= now()
                      ORDER BY next_attempt_at LIMIT %s FOR UPDATE SKIP LOCKED)
RETURNING *
"""
_OURS = "WHERE delivery_id = %(delivery_id)s AND status = 'sending' AND sending_since = %(claimed)s"


def enqueue(conn, queued: list[tuple[dict, Delivery]]) -> None:
    """Queue each (mailing, delivery); one already queued for its (event, recipient, kind) stays as it is."""
    rows = [(d.delivery_id, m["tenant_id"], m["event_id"], m["event_type"], m["kind"], d.recipient, d.sender,
             d.reply_to, Jsonb(d.context), m["correlation_id"], m["traceparent"], person_addressed(m))
            for m, d in queued]
    if rows:
        with conn.cursor() as cur:
            cur.executemany(_ENQUEUE, rows)


def claim_due(conn, limit: int) -> list[dict]:
    """Mark up to `limit` due deliveries as being sent by the caller; commit before sending."""
    return conn.execute(_CLAIM, (limit,)).fetchall()


def _finish(conn, delivery: dict, assignments: str, values: dict) -> bool:
    params = {**values, "delivery_id": delivery["delivery_id"], "claimed": delivery["sending_since"]}
    return conn.execute(f"UPDATE deliveries SET {assignments} {_OURS} RETURNING delivery_id", params).fetchone() \
        is not None


def mark_sent(conn, delivery: dict, message_id: str, subject: str, template: str) -> bool:
    return _finish(conn, delivery, "status = 'sent', attempts = attempts + 1, sent_at = now(), sending_since = NULL,"
                   " message_id = %(message_id)s, subject = %(subject)s, template = %(template)s,"
                   " last_error = NULL, smtp_code = NULL, context = context - 'links'",
                   {"message_id": message_id, "subject": subject, "template": template})


def mark_failed(conn, delivery: dict, reason: str, error: str, smtp_code: int | None,
                message_id: str | None = None) -> bool:
    return _finish(conn, delivery, "status = 'failed', attempts = attempts + 1, failed_at = now(),"
                   " sending_since = NULL, failure_reason = %(reason)s, last_error = %(error)s,"
                   " smtp_code = %(smtp_code)s, message_id = coalesce(%(message_id)s, message_id),"
                   " context = context - 'links'",
                   {"reason": reason, "error": error[:2000], "smtp_code": smtp_code, "message_id": message_id})


def retry_later(conn, delivery: dict, at: datetime, error: str, smtp_code: int | None) -> bool:
    return _finish(conn, delivery, "status = 'queued', attempts = attempts + 1, next_attempt_at = %(at)s,"
                   " sending_since = NULL, last_error = %(error)s, smtp_code = %(smtp_code)s",
                   {"at": at, "error": error[:2000], "smtp_code": smtp_code})


def release(conn, delivery: dict, at: datetime) -> bool:
    """Put back a claimed delivery that was not tried (its server went away first); no attempt counted."""
    return _finish(conn, delivery, "status = 'queued', next_attempt_at = %(at)s, sending_since = NULL", {"at": at})


def requeue_abandoned(conn, lease_seconds: float) -> int:
    """Deliveries whose sender died while holding them go back to the queue (see sending.py for the risk)."""
    rows = conn.execute(
        "UPDATE deliveries SET status = 'queued', next_attempt_at = now(), sending_since = NULL,"
        " last_error = 'the sender stopped while sending; sent again'"
        " WHERE status = 'sending' AND sending_since < now() - make_interval(secs => %s) RETURNING delivery_id",
        (lease_seconds,)).fetchall()
    return len(rows)


def unannounced(conn, limit: int) -> list[dict]:
    """Ended deliveries whose EmailSent or EmailFailed is not appended yet, locked for the caller."""
    return conn.execute(
        "SELECT * FROM deliveries WHERE announced_at IS NULL AND status IN ('sent', 'failed')"
        " ORDER BY queued_at LIMIT %s FOR UPDATE SKIP LOCKED", (limit,)).fetchall()


def mark_announced(conn, delivery_ids: list) -> None:
    conn.execute("UPDATE deliveries SET announced_at = now() WHERE delivery_id = ANY(%s)", (delivery_ids,))
