"""How one delivery ends, as the event the service publishes: EmailSent or EmailFailed."""
from __future__ import annotations

from eventkit.envelope import NewEvent

SENT = "portico.notifications.email.sent"
FAILED = "portico.notifications.email.failed"


def stream_id(delivery_id) -> str:
    return f"delivery-{delivery_id}"


def message_id(delivery_id, sender_address: str) -> str:
    """The same on every attempt, so a receiver can drop the copy a crash might cause."""
    domain = sender_address.rsplit("@", 1)[-1].strip("> ") or "portico.invalid"
    return f"<{delivery_id}@{domain}>"


def _fields(delivery: dict) -> dict:
    return {"delivery_id": str(delivery["delivery_id"]), "event_id": str(delivery["event_id"]),
            "event_type": delivery["event_type"], "kind": delivery["kind"], "recipient": delivery["recipient"],
            "attempts": delivery["attempts"]}


def ended(delivery: dict) -> NewEvent:
    """The event that announces how a delivery ended, from its row in the queue."""
    if delivery["status"] == "sent":
        return NewEvent(SENT, 2, {**_fields(delivery), "message_id": delivery["message_id"],
                                  "template": delivery["template"]}, subject=delivery.get("person"))
    assert delivery["status"] == "failed"
    return NewEvent(FAILED, 3, {**_fields(delivery), "reason": delivery["failure_reason"],
                                "smtp_code": delivery["smtp_code"], "detail": (delivery["last_error"] or "")[:500]},
                    subject=delivery.get("person"))
