"""Fakes of the kit's ports for unit tests: no database, no broker, milliseconds per test."""
from __future__ import annotations

from typing import Iterable

from .envelope import Metadata, StoredEvent
from .errors import ConcurrencyConflict
from .store import StreamAppend


class FakeUnitOfWork:
    """Keeps streams in memory with the same version rules as the real store."""

    def __init__(self, contracts=None, source: str = "/portico/test"):
        self.contracts, self.source = contracts, source
        self.streams: dict[str, list[StoredEvent]] = {}
        self.appended: list[StoredEvent] = []
        self.committed = False
        self._position = 0

    def __enter__(self):
        self._pending: list[StoredEvent] = []
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None:
            for event in self._pending:
                self.streams.setdefault(event.stream_id, []).append(event)
            self.committed = True

    def read_stream(self, stream_id: str) -> list[StoredEvent]:
        return list(self.streams.get(stream_id, []))

    def append(self, appends: Iterable[StreamAppend], meta: Metadata) -> list[StoredEvent]:
        stored = []
        for item in appends:
            actual = len(self.streams.get(item.stream_id, []))
            if actual != item.expected_version:
                raise ConcurrencyConflict(item.stream_id, item.expected_version, actual)
            own = item.meta or meta
            for offset, event in enumerate(item.events, start=1):
                if self.contracts is not None:
                    self.contracts.validate(event.type, event.version, dict(event.data))
                self._position += 1
                stored.append(StoredEvent(
                    position=self._position, stream_id=item.stream_id, stream_type=item.stream_type,
                    stream_version=item.expected_version + offset, id=event.id, type=event.type,
                    version=event.version, tenant_id=own.tenant_id, occurred_at=event.occurred_at,
                    actor=own.actor, correlation_id=own.correlation_id, causation_id=own.causation_id,
                    traceparent=own.traceparent, data=dict(event.data), source=self.source,
                ))
        self._pending.extend(stored)
        self.appended.extend(stored)
        return stored
