"""Wire the documents service together: the one place that chooses real adapters."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import Callable

from psycopg_pool import ConnectionPool

import contracts
from contracts.jsonschema import compiled
from contracts.personal import opening_reader
from eventkit import db, ended_sessions
from eventkit.auth import JwksVerifier
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.outbox import OutboxRelay
from eventkit.projection import Projection
from eventkit.store import EventStore
from eventkit.key_release import KeyRelease
from eventkit.uow import UnitOfWork

from .adapters.projections import PROJECTIONS as OWN_PROJECTIONS

SOURCE = "/portico/documents"
CONSUMER_GROUP = "documents.projections"  # the worker's consumer group; a rebuild has one of its own
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"
SCHEMA_FILES = (SCHEMA,)
MIGRATE = "python -m documents.entrypoints.migrate"
# Who may call the API now: the kit's projections of identity's ended sessions, this service's copies.
ENDED_SESSIONS = ended_sessions.projection("documents")
PROJECTIONS = [*OWN_PROJECTIONS, ENDED_SESSIONS]


@dataclass
class Documents:
    config: dict
    pool: ConnectionPool
    store: EventStore
    catalogue: contracts.Catalogue
    verifier: JwksVerifier
    projections: list[Projection] = field(default_factory=lambda: list(PROJECTIONS))
    ended_sessions: Projection = ENDED_SESSIONS

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.pool, self.store)

    def _producer(self, client_id: str):
        return partial(create_producer, self.config["KAFKA_BOOTSTRAP"], client_id)

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.config["DATABASE_URL"], self.store, self._producer("documents-relay"))

    @cached_property
    def released_keys(self) -> KeyRelease:
        """People's data keys for the consumers, from identity's audited release (made when first needed)."""
        return KeyRelease.from_config(self.config)

    def consumer(self, projections: Projection | list[Projection], pool: ConnectionPool | None = None,
                 follow_registry: bool = True, group: str | None = None) -> ConsumerRunner:
        """A runner for projections (each batch fanned out to all, in one transaction); a rebuild's runner
        writes its own table (follow_registry=False) under a consumer name of its own (the copy's)."""
        def consumer_factory(group: str):
            return create_consumer(self.config["KAFKA_BOOTSTRAP"], group, f"documents-{group}")
        name = group or (projections.name if isinstance(projections, Projection) else projections[0].name)
        return ConsumerRunner(projections, pool or self.pool, opening_reader(self.catalogue, self.released_keys),
                              consumer_factory, partial(create_producer, self.config["KAFKA_BOOTSTRAP"],
                                                        f"documents-{name}-dlq"),
                              topic_prefix=self.config["TOPIC_PREFIX"], follow_registry=follow_registry, group=group)

    def loops(self) -> dict[str, Callable[[threading.Event], None]]:
        """The worker's background work: the relay, and one consumer for the projections."""
        loops = {"documents-relay": self.relay().run}
        # One consumer for all the service's projections: each record is read and parsed once.
        loops[CONSUMER_GROUP] = self.consumer(self.projections, group=CONSUMER_GROUP).run
        return loops

    def close(self) -> None:
        self.pool.close()


def migrate(config: dict) -> bool:
    """Bring the database to this version's schema: the deployment's step before web and workers start
    (`python -m documents.entrypoints.migrate`); False if it already was."""
    return db.migrate(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS,
                      lock_timeout=float(config.get("MIGRATION_LOCK_TIMEOUT", db.LOCK_TIMEOUT)),
                      give_up_after=float(config.get("MIGRATION_GIVE_UP_AFTER", db.GIVE_UP_AFTER)))


def bootstrap(config: dict) -> Documents:
    db.require_migrated(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS, how=MIGRATE)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="documents")
    catalogue = contracts.catalogue()
    verifier = JwksVerifier(config["JWKS_URL"], config["JWT_ISSUER"], config["JWT_AUDIENCE"],
                            cache_seconds=config["JWKS_CACHE_SECONDS"])
    return Documents(config, pool, EventStore(SOURCE, compiled(catalogue), config["TOPIC_PREFIX"]), catalogue, verifier)
