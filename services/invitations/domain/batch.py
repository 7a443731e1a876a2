"""A batch of invitations: the customers staff selected, or all matching a filter (seed 004).

Each customer of a batch is either invited (an InvitationSent in its own stream) or skipped, with the
reason; the batch's own stream `invitation-batch-<batch_id>` records the request, the skips and the end.
"""
from __future__ import annotations

from typing import Any

from eventkit.envelope import NewEvent

from .invitation import Recipient

B = "portico.invitations.batch."
REQUESTED, SKIPPED, COMPLETED = B + "requested", B + "customer_skipped", B + "completed"

REASONS = {
    "no_email_address": "No e-mail address: the accounting system has none for this customer and none was given "
                        "for this invitation.",
    "has_username": "The customer already has a portal username; add another with 'Add Portal User'.",
    "archived": "The customer is archived.",
    "unknown_customer": "No such customer in this tenant.",
    "invitation_open": "An invitation to this customer is still open: resend or revoke it instead.",
}


def stream_id(batch_id) -> str:
    return f"invitation-batch-{batch_id}"


def requested(batch_id: str, by: dict, filter_: dict | None, customers: int) -> list[NewEvent]:
    return [NewEvent(REQUESTED, 1, {"batch_id": batch_id, "requested_by": by,
                                    "selection": "filter" if filter_ is not None else "customers",
                                    "filter": filter_, "customers": customers})]


def addressee(candidate: dict[str, Any] | None, given: list[str] | None,
              invitation_open: bool) -> Recipient | str:
    """Whom to invite at which addresses, or the code of the reason to skip the customer.

    Addresses given for this invitation win over the customer's default ones, which stay as they are."""
    if candidate is None:
        return "unknown_customer"
    if candidate["archived"]:
        return "archived"
    if candidate["usernames"] > 0:
        return "has_username"
    if invitation_open:
        return "invitation_open"
    emails = list(given) if given else list(candidate["emails"] or [])
    if not emails:
        return "no_email_address"
    return Recipient(str(candidate["customer_id"]), candidate["code"], candidate["name"], emails,
                     "given" if given else "customer_default")


def skipped(batch_id: str, customer_id: str, candidate: dict[str, Any] | None, reason_code: str) -> NewEvent:
    return NewEvent(SKIPPED, 1, {
        "batch_id": batch_id, "customer_id": customer_id, "reason_code": reason_code, "reason": REASONS[reason_code],
        "customer_code": candidate["code"] if candidate else None,
        "customer_name": candidate["name"] if candidate else None}, subject=f"customer-{customer_id}")


def completed(batch_id: str, sent: int, skipped_count: int) -> list[NewEvent]:
    return [NewEvent(COMPLETED, 1, {"batch_id": batch_id, "sent": sent, "skipped": skipped_count})]
