"""The invitations unit of work: the event store plus the tables written with it, in one transaction."""
from __future__ import annotations

from eventkit.envelope import StoredEvent
from eventkit.uow import UnitOfWork

from .batch_tables import Batches
from .invitation_tables import Links, OpenInvitations


class InvitationsUnitOfWork(UnitOfWork):
    def __enter__(self) -> "InvitationsUnitOfWork":
        super().__enter__()
        self.links = Links(self.conn)
        self.open_invitations = OpenInvitations(self.conn)
        self.batches = Batches(self.conn)
        return self

    def read_streams(self, stream_ids: list[str]) -> dict[str, list[StoredEvent]]:
        return self.store.read_streams(self.conn, stream_ids)
