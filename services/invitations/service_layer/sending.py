"""The batch worker's step: invite or skip the next chunk of one batch, in one transaction.

The batch row is taken FOR UPDATE SKIP LOCKED, so several workers share the queue and never work on
the same batch at once; each chunk commits its events, its links, its open invitations and its
progress together, so a worker that dies loses nothing and repeats nothing.
"""
from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from eventkit.envelope import Metadata, NewEvent
from eventkit.store import StreamAppend

from ..domain import batch
from ..domain import invitation as invitations
from ..domain.invitation import Invitation, Recipient
from ..domain.settings import InvitationSettings
from . import candidates
from .links import LinkMaker
from .settings import load as load_settings


@dataclass
class _Chunk:
    """What one chunk decided: invitation streams, skips, and the rows that go with them."""

    invitations: list[StreamAppend] = field(default_factory=list)
    skips: list[NewEvent] = field(default_factory=list)
    outcomes: list[tuple] = field(default_factory=list)  # (seq, outcome, invitation id, code, name)
    links: list[tuple] = field(default_factory=list)
    opened: list[tuple] = field(default_factory=list)

    def invite(self, job: dict, seq: int, to: Recipient, links: LinkMaker, settings: InvitationSettings) -> None:
        invitation_id, link = str(uuid.uuid4()), links.make(settings.invitation_validity_days)
        events = invitations.send(invitation_id, str(job["batch_id"]), to, link, job["requested_by"],
                                  settings.inviter_name)
        self.invitations.append(StreamAppend(invitations.stream_id(invitation_id), "invitation", 0, events))
        self.links.append((link.token_hash, job["tenant_id"], invitation_id))
        self.opened.append((job["tenant_id"], to.customer_id, invitation_id, link.expires_at))
        self.outcomes.append((seq, "sent", invitation_id, to.code, to.name))

    def skip(self, job: dict, seq: int, customer_id: str, candidate: dict | None, reason_code: str) -> None:
        self.skips.append(batch.skipped(str(job["batch_id"]), customer_id, candidate, reason_code))
        self.outcomes.append((seq, reason_code, None, candidate and candidate["code"], candidate and candidate["name"]))


def _meta(job: dict) -> Metadata:
    return Metadata(job["tenant_id"], job["requested_by"]["username"], job["correlation_id"],
                    traceparent=job["traceparent"])


def _expire_ended(uow, open_rows: dict[str, dict], now: datetime) -> list[StreamAppend]:
    """Open invitations already past their expiry end now, so their customers can be invited again."""
    due = {cid: row for cid, row in open_rows.items() if row["expires_at"] <= now}
    if not due:
        return []
    streams = uow.read_streams([invitations.stream_id(r["invitation_id"]) for r in due.values()])
    appends = []
    for cid, row in due.items():
        sid = invitations.stream_id(row["invitation_id"])
        history = streams.get(sid, [])
        appends.append(StreamAppend(sid, "invitation", len(history),
                                    invitations.expire(Invitation.from_events(history), now)))
        del open_rows[cid]
    uow.open_invitations.close([str(r["invitation_id"]) for r in due.values()])
    return appends


def work_on_next_batch(uow, links: LinkMaker, chunk_size: int = 500) -> bool:
    """Handle one chunk of the oldest unfinished batch; False when no batch is waiting."""
    with uow:
        job = uow.batches.take_next()
        if job is None:
            return False
        tenant_id, batch_id = job["tenant_id"], str(job["batch_id"])
        waiting = uow.batches.waiting_customers(batch_id, chunk_size + 1)
        last, waiting = len(waiting) <= chunk_size, waiting[:chunk_size]
        ids = [str(w["customer_id"]) for w in waiting]
        settings, known = load_settings(uow, tenant_id), candidates.customers(uow.conn, tenant_id, ids)
        open_rows = uow.open_invitations.of_customers(tenant_id, ids)
        expired = _expire_ended(uow, open_rows, links.now())
        chunk = _Chunk()
        for waiter, cid in zip(waiting, ids):
            to = batch.addressee(known.get(cid), waiter["emails"], cid in open_rows)
            if isinstance(to, Recipient):
                chunk.invite(job, waiter["seq"], to, links, settings)
            else:
                chunk.skip(job, waiter["seq"], cid, known.get(cid), to)
        ending = batch.completed(batch_id, job["sent"] + len(chunk.invitations),
                                 job["skipped"] + len(chunk.skips)) if last else []
        batch_version = len(uow.read_stream(batch.stream_id(batch_id)))
        uow.links.add(chunk.links)
        uow.open_invitations.open(chunk.opened)
        uow.append(expired + chunk.invitations + [
            StreamAppend(batch.stream_id(batch_id), "invitation-batch", batch_version, chunk.skips + ending)], _meta(job))
        uow.batches.record(batch_id, chunk.outcomes, len(chunk.invitations), len(chunk.skips), last)
    return True
