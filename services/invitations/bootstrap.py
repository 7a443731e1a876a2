"""Wire the invitations service together: the one place that chooses real adapters."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from psycopg_pool import ConnectionPool

import contracts
from contracts.jsonschema import compiled
from contracts.personal import opening_reader
from eventkit import callers, db, ended_sessions, rate_limits
from eventkit.auth import JwksVerifier
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.outbox import OutboxRelay
from eventkit.projection import Projection
from eventkit.sealing import ReleasedKeySealingStore
from eventkit.key_release import KeyRelease

from .adapters.batch_tables import BATCH_CHANNEL
from .adapters.poller import Poller
from .adapters.projections import PROJECTIONS as OWN_PROJECTIONS
from .adapters.projections.acceptances import CHANNEL as ACCEPTANCES_CHANNEL
from .adapters.uow import InvitationsUnitOfWork
from .service_layer.acceptances import accept_registered
from .service_layer.expiry import expire_due
from .service_layer.links import LinkMaker
from .service_layer.sending import work_on_next_batch

SOURCE = "/portico/invitations"
CONSUMER_GROUP = "invitations.projections"  # the worker's consumer group; a rebuild has one of its own
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"
SCHEMA_FILES = (SCHEMA, rate_limits.SCHEMA)
MIGRATE = "python -m invitations.entrypoints.migrate"
# Who may call the API now: the kit's projections of identity's users and ended sessions, this service's copies.
CALLERS = callers.projection("invitations")
ENDED_SESSIONS = ended_sessions.projection("invitations")
PROJECTIONS = [*OWN_PROJECTIONS, CALLERS, ENDED_SESSIONS]


@dataclass
class Invitations:
    config: dict
    pool: ConnectionPool
    store: ReleasedKeySealingStore
    catalogue: contracts.Catalogue
    links: LinkMaker
    verifier: JwksVerifier
    projections: list[Projection] = field(default_factory=lambda: list(PROJECTIONS))
    callers: Projection = CALLERS
    ended_sessions: Projection = ENDED_SESSIONS

    def uow(self) -> InvitationsUnitOfWork:
        return InvitationsUnitOfWork(self.pool, self.store)

    def _producer(self, client_id: str):
        return partial(create_producer, self.config["KAFKA_BOOTSTRAP"], client_id)

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.config["DATABASE_URL"], self.store, self._producer("invitations-relay"))

    @property
    def released_keys(self) -> KeyRelease:
        """People's data keys, from identity's audited release: the consumers open with them, the store seals."""
        return self.store.keys

    def consumer(self, projections: Projection | list[Projection], pool: ConnectionPool | None = None,
                 follow_registry: bool = True, group: str | None = None) -> ConsumerRunner:
        """A runner for projections (each batch fanned out to all, in one transaction); a rebuild's runner
        writes its own table (follow_registry=False) under a consumer name of its own (the copy's)."""
        def consumer_factory(group: str):
            return create_consumer(self.config["KAFKA_BOOTSTRAP"], group, f"invitations-{group}")
        name = group or (projections.name if isinstance(projections, Projection) else projections[0].name)
        return ConsumerRunner(projections, pool or self.pool, opening_reader(self.catalogue, self.released_keys),
                              consumer_factory, partial(create_producer, self.config["KAFKA_BOOTSTRAP"],
                                                        f"invitations-{name}-dlq"),
                              topic_prefix=self.config["TOPIC_PREFIX"], follow_registry=follow_registry, group=group)

    def pollers(self) -> list[Poller]:
        """The work kept in tables: batches to send, registrations to accept, invitations to expire."""
        dsn = self.config["DATABASE_URL"]
        return [
            Poller("invitations-batches", dsn, lambda: work_on_next_batch(
                self.uow(), self.links, self.config["BATCH_CHUNK_SIZE"]), BATCH_CHANNEL),
            Poller("invitations-acceptances", dsn, lambda: accept_registered(self.uow()), ACCEPTANCES_CHANNEL),
            Poller("invitations-expiry", dsn, lambda: expire_due(self.uow(), self.links.now()) > 0,
                   idle_wait=self.config["EXPIRY_SWEEP_SECONDS"]),
        ]

    def loops(self) -> dict[str, Callable[[threading.Event], None]]:
        """What the invitations worker runs: relay, one consumer for the projections, the pollers."""
        loops = {"invitations-relay": self.relay().run}
        # One consumer for all the service's projections: each record is read and parsed once.
        loops[CONSUMER_GROUP] = self.consumer(self.projections, group=CONSUMER_GROUP).run
        for poller in self.pollers():
            loops[poller.name] = poller.run
        return loops

    def close(self) -> None:
        self.pool.close()


def migrate(config: dict) -> bool:
    """Bring the database to this version's schema: the deployment's step before web and workers start
    (`python -m invitations.entrypoints.migrate`); False if it already was."""
    return db.migrate(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS,
                      lock_timeout=float(config.get("MIGRATION_LOCK_TIMEOUT", db.LOCK_TIMEOUT)),
                      give_up_after=float(config.get("MIGRATION_GIVE_UP_AFTER", db.GIVE_UP_AFTER)))


def bootstrap(config: dict) -> Invitations:
    if not config.get("SEALED_PUBLIC_KEY"):
        raise RuntimeError("PORTICO_SEALED_PUBLIC_KEY is not set: invitation links are sealed for the notifications "
                           "service with it (`python -m eventkit.sealed keygen`; deploy/local/keys.sh makes one).")
    db.require_migrated(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS, how=MIGRATE)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="invitations")
    catalogue = contracts.catalogue()
    store = ReleasedKeySealingStore(SOURCE, compiled(catalogue), config["TOPIC_PREFIX"], KeyRelease.from_config(config))
    return Invitations(config, pool, store, catalogue,
                       LinkMaker(config["SEALED_PUBLIC_KEY"]), verifier(config))


def verifier(config: dict) -> JwksVerifier:
    """Identity's access tokens, checked with its published keys (fetched on first use, then cached)."""
    return JwksVerifier(config["JWKS"] or config["JWKS_URL"], config["JWT_ISSUER"], config["JWT_AUDIENCE"])
