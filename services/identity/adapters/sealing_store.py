"""Identity's event store seals personal values as it appends and opens them as identity reads its streams.

The domain decides events in clear, as before; this store writes each event that carries a person's
values at its type's latest version with those values sealed for the person (contracts/personal.py), in
the same transaction that makes the person's data key. So the event store, the outbox and Kafka hold
ciphertext only, and identity's own handlers, loading an aggregate's stream, see clear values (or the
marker once the person is forgotten). The relay publishes rows as stored: it never opens anything.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Iterable, Sequence

import psycopg

from contracts.personal import personal_fields, seal_data
from eventkit.envelope import Metadata, NewEvent, StoredEvent
from eventkit.personal import seal
from eventkit.sealing import OpeningStore
from eventkit.store import StreamAppend

from . import subject_keys
from .subject_keys import KeyWrapper

_INDIVIDUAL_ON_CREATION = ("portico.identity.customer.created", "portico.identity.customer.imported")


def subject_of(event_type: str, data: dict, keyed: set[str]) -> str | None:
    """Whose personal values an event carries: a contact, a portal user, an individual customer; None: nobody's."""
    if ".contact_" in event_type:
        return f"contact-{data['contact_id']}"
    if event_type.startswith("portico.identity.user."):
        return f"user-{data['user_id']}"
    subject = f"customer-{data.get('customer_id')}"
    if event_type in _INDIVIDUAL_ON_CREATION:
        return subject if data["kind"] == "individual" else None
    # An update: the customer's values are personal if it became an individual or was one (it has a key).
    if data.get("changes", {}).get("kind") == "individual":
        return subject
    return subject if subject in keyed else None


class SealingStore(OpeningStore):
    def __init__(self, source: str, catalogue, topic_prefix: str, wrapper: KeyWrapper):
        super().__init__(source, catalogue, topic_prefix)
        self.catalogue, self.wrapper = catalogue, wrapper

    def append(self, conn: psycopg.Connection, appends: Iterable[StreamAppend], meta: Metadata) -> list[StoredEvent]:
        sealed, clear = self._sealed_appends(conn, list(appends), meta)
        return self._in_clear(super().append(conn, sealed, meta), clear)

    def append_staged(self, conn: psycopg.Connection, appends: Sequence[StreamAppend],
                      meta: Metadata) -> list[StoredEvent]:
        """An import's chunk, sealed like any append before it is copied in."""
        sealed, clear = self._sealed_appends(conn, list(appends), meta)
        return self._in_clear(super().append_staged(conn, sealed, meta), clear)

    def _sealed_appends(self, conn, appends: list[StreamAppend], meta: Metadata) -> tuple[list[StreamAppend], dict]:
        updated = {f"customer-{e.data.get('customer_id')}" for item in appends for e in item.events
                   if e.type == "portico.identity.customer.updated"}
        keys = subject_keys.keys_of(conn, self.wrapper, meta.tenant_id, updated) if updated else {}
        keyed = {subject for subject, key in keys.items() if key}
        personal = [replace(item, events=[self.catalogue.upcast(e) if self._personal(e) else e
                                          for e in item.events]) for item in appends]
        # Every person of the appends gets their key at once (an import's chunk holds thousands).
        people = {subject_of(e.type, e.data, keyed) for item in personal for e in item.events if self._personal(e)}
        keys.update(subject_keys.keys_made(conn, self.wrapper, meta.tenant_id, people - {None} - keys.keys()))
        clear: dict = {}
        sealed = [replace(item, events=[self._sealed(meta.tenant_id, event, keys, keyed, clear)
                                        for event in item.events]) for item in personal]
        return sealed, clear

    def _personal(self, event: NewEvent) -> bool:
        return bool(personal_fields(self.catalogue.latest(event.type).schema))

    @staticmethod
    def _in_clear(stored: list[StoredEvent], clear: dict) -> list[StoredEvent]:
        # The caller folds what it appended into its aggregate: it gets the values it decided, in clear.
        return [replace(event, data=clear.get(event.id, event.data)) for event in stored]

    def _sealed(self, tenant_id: str, event: NewEvent, keys: dict, keyed: set[str], clear: dict) -> NewEvent:
        """The event (at its latest version already, if it holds personal fields) with its person's values sealed."""
        if not self._personal(event):
            return event
        subject = subject_of(event.type, event.data, keyed)
        if subject is None:
            return event
        if keys[subject] is None:
            raise ValueError(f"{subject} was forgotten: nothing more is written about them")
        key, clear[event.id] = keys[subject], event.data
        latest = self.catalogue.latest(event.type)
        return replace(event, data=seal_data(
            event.data, latest.schema, subject, lambda s, field, value: seal(key, tenant_id, s, field, value)))

    def keys_for(self, conn: psycopg.Connection):
        return lambda tenant, subjects: subject_keys.keys_of(conn, self.wrapper, tenant, subjects)


class LocalKeys:
    """Identity's own consumers open personal values with the key store itself (no release to audit)."""

    def __init__(self, pool, wrapper: KeyWrapper):
        self.pool, self.wrapper = pool, wrapper

    def __call__(self, tenant_id: str, subjects) -> dict[str, bytes | None]:
        with self.pool.connection() as conn:
            return subject_keys.keys_of(conn, self.wrapper, tenant_id, subjects)
