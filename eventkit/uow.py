"""Unit of work: one database transaction in which a handler reads streams and appends events."""
from __future__ import annotations

from typing import Iterable

import psycopg
from psycopg_pool import ConnectionPool

from . import metrics, read_your_writes
from .envelope import Metadata, StoredEvent
from .store import EventStore, StreamAppend


class UnitOfWork:
    """`with uow:` opens a transaction; leaving the block commits it, or rolls back on error."""

    def __init__(self, pool: ConnectionPool, store: EventStore):
        self.pool, self.store = pool, store
        self.conn: psycopg.Connection | None = None
        self.appended: list[StoredEvent] = []

    def __enter__(self) -> "UnitOfWork":
        self._cm = self.pool.connection()
        self.conn = self._cm.__enter__()
        self.appended = []
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.conn.commit()
                self._count_appended()
                read_your_writes.remember(self.store, self.appended)
            else:
                self.conn.rollback()
        finally:
            self._cm.__exit__(exc_type, exc, tb)
            self.conn = None

    def _count_appended(self) -> None:
        service = self.store.source.rsplit("/", 1)[-1]
        for event in self.appended:
            metrics.EVENTS_APPENDED.labels(service, event.type).inc()

    def read_stream(self, stream_id: str) -> list[StoredEvent]:
        return self.store.read_stream(self.conn, stream_id)

    def append(self, appends: Iterable[StreamAppend], meta: Metadata) -> list[StoredEvent]:
        stored = self.store.append(self.conn, appends, meta)
        self.appended.extend(stored)
        return stored
