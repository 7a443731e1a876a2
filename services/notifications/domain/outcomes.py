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


def _fields(delivery: dict, attempts: int) -> dict:
    return {"delivery_id": str(delivery["delivery_id"]), "event_id": str(delivery["event_id"]),
            "event_type": delivery["event_type"], "kind": delivery["kind"], "recipient": delivery["recipient"],
            "attempts": attempts}


def sent(delivery: dict, attempts: int, message: str, template: str) -> NewEvent:
    return NewEvent(SENT, 1, {**_fields(delivery, attempts), "message_id": message, "template": template})


def failed(delivery: dict, attempts: int, reason: str, smtp_code: int | None, detail: str) -> NewEvent:
    return NewEvent(FAILED, 1, {**_fields(delivery, attempts), "reason": reason, "smtp_code": smtp_code,
                                "detail": detail[:500]})
