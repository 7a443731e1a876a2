"""An event store that seals people's values with keys identity releases (issue 17): invitations' and
notifications' own events.

The service decides its events in clear, as before, naming whose values each holds (`NewEvent.subject`);
this store writes each event whose latest version has personal fields at that version, with those values
sealed for that subject, if identity says it is a person (a company's values stay in clear). The keys come
from identity's audited key release, asked once per append with `make` (a person whose events predate
sealing gets a key then). A forgotten person's values are sealed
under a random key that is never kept: they open to the marker like every other copy of theirs. Reading a
stream opens them again, so the service's aggregates see clear values (or the marker); the relay publishes
rows as stored.
"""
from __future__ import annotations

import os
from dataclasses import replace
from typing import Iterable, Sequence

import psycopg

from contracts.personal import opened_events, personal_fields, seal_data

from .envelope import Metadata, NewEvent, StoredEvent
from .personal import seal
from .store import EventStore, StreamAppend

class OpeningStore(EventStore):
    """Reading a stream opens its personal values with the keys `keys_for(conn)` gives."""

    def keys_for(self, conn: psycopg.Connection):
        raise NotImplementedError

    def read_stream(self, conn: psycopg.Connection, stream_id: str) -> list[StoredEvent]:
        return opened_events(super().read_stream(conn, stream_id), self.catalogue, self.keys_for(conn))

    def read_streams(self, conn: psycopg.Connection, stream_ids: Sequence[str]) -> dict[str, list[StoredEvent]]:
        streams = super().read_streams(conn, stream_ids)
        opened = iter(opened_events([e for events in streams.values() for e in events], self.catalogue,
                                    self.keys_for(conn)))
        return {stream_id: [next(opened) for _ in events] for stream_id, events in streams.items()}


class ReleasedKeySealingStore(OpeningStore):
    def __init__(self, source: str, catalogue, topic_prefix: str, keys):
        super().__init__(source, catalogue, topic_prefix)
        self.catalogue, self.keys = catalogue, keys

    def append(self, conn: psycopg.Connection, appends: Iterable[StreamAppend], meta: Metadata) -> list[StoredEvent]:
        appends = [replace(item, events=[self.catalogue.upcast(e) for e in item.events]) for item in appends]
        wanted: dict[str, set[str]] = {}
        for item in appends:
            tenant_id = (item.meta or meta).tenant_id
            wanted.setdefault(tenant_id, set()).update(
                e.subject for e in item.events if e.subject and self._personal(e))
        keys = {tenant_id: self._sealing_keys(tenant_id, subjects) for tenant_id, subjects in wanted.items()}
        clear = {e.id: e.data for item in appends for e in item.events}
        sealed = [replace(item, events=[self._sealed(e, (item.meta or meta).tenant_id, keys) for e in item.events])
                  for item in appends]
        # The caller folds what it appended into its aggregate: it gets the values it decided, in clear.
        return [replace(event, data=clear.get(event.id, event.data)) for event in super().append(conn, sealed, meta)]

    def _personal(self, event: NewEvent) -> bool:
        return bool(personal_fields(self.catalogue.contract(event.type, event.version).schema))

    def _sealing_keys(self, tenant_id: str, subjects: set[str]) -> dict[str, bytes]:
        if not subjects:
            return {}
        keys, forgotten = self.keys.for_sealing(tenant_id, subjects)
        return {**keys, **{subject: os.urandom(32) for subject in forgotten}}  # the latter kept nowhere

    def _sealed(self, event: NewEvent, tenant_id: str, keys: dict[str, dict[str, bytes]]) -> NewEvent:
        subject = event.subject
        key = keys.get(tenant_id, {}).get(subject) if subject and self._personal(event) else None
        if key is None:
            return event
        schema = self.catalogue.contract(event.type, event.version).schema
        return replace(event, data=seal_data(event.data, schema, subject,
                                             lambda s, field, value: seal(key, tenant_id, s, field, value)))

    def keys_for(self, conn: psycopg.Connection):
        return self.keys  # the key release, cached in memory a short while
