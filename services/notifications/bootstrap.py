"""Wire the notifications service together: the one place that chooses real adapters."""
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
from eventkit import callers, db, ended_sessions
from eventkit.auth import JwksVerifier
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.outbox import OutboxRelay
from eventkit.projection import Projection
from eventkit.sealing import ReleasedKeySealingStore
from eventkit.key_release import KeyRelease

from .adapters.projections import PROJECTIONS as OWN_PROJECTIONS
from .adapters.rendering import Renderer
from .adapters.smtp import SmtpMailer
from .adapters.wakeup import DELIVERIES, MAILINGS, Wakeup
from .service_layer.dispatch import Dispatcher
from .service_layer.outcomes import Outcomes
from .service_layer.sending import Sender

SOURCE = "/portico/notifications"
CONSUMER_GROUP = "notifications.projections"  # the worker's consumer group; a rebuild has one of its own
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"
SCHEMA_FILES = (SCHEMA,)
MIGRATE = "python -m notifications.entrypoints.migrate"
# Who may call the API now: the kit's projections of identity's users and ended sessions, this service's copies.
CALLERS = callers.projection("notifications")
ENDED_SESSIONS = ended_sessions.projection("notifications")
PROJECTIONS = [*OWN_PROJECTIONS, CALLERS, ENDED_SESSIONS]


@dataclass
class Notifications:
    config: dict
    pool: ConnectionPool
    store: ReleasedKeySealingStore
    catalogue: contracts.Catalogue
    private_keys: list[str]
    verifier: JwksVerifier
    renderer: Renderer = field(default_factory=Renderer)
    projections: list[Projection] = field(default_factory=lambda: list(PROJECTIONS))
    callers: Projection = CALLERS
    ended_sessions: Projection = ENDED_SESSIONS

    def _producer(self, client_id: str):
        return partial(create_producer, self.config["KAFKA_BOOTSTRAP"], client_id)

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.config["DATABASE_URL"], self.store, self._producer("notifications-relay"))

    @property
    def released_keys(self) -> KeyRelease:
        """People's data keys, from identity's audited release: the consumers open with them, the store seals."""
        return self.store.keys

    def consumer(self, projections: Projection | list[Projection], pool: ConnectionPool | None = None,
                 follow_registry: bool = True, group: str | None = None) -> ConsumerRunner:
        """A runner for projections (each batch fanned out to all, in one transaction); a rebuild's runner
        writes its own table (follow_registry=False) under a consumer name of its own (the copy's)."""
        def consumer_factory(group: str):
            return create_consumer(self.config["KAFKA_BOOTSTRAP"], group, f"notifications-{group}")
        name = group or (projections.name if isinstance(projections, Projection) else projections[0].name)
        return ConsumerRunner(projections, pool or self.pool, opening_reader(self.catalogue, self.released_keys),
                              consumer_factory, partial(create_producer, self.config["KAFKA_BOOTSTRAP"],
                                                        f"notifications-{name}-dlq"),
                              topic_prefix=self.config["TOPIC_PREFIX"], follow_registry=follow_registry, group=group)

    def mailer(self) -> SmtpMailer:
        c = self.config
        return SmtpMailer(c["SMTP_HOST"], int(c["SMTP_PORT"]), c["SMTP_TIMEOUT_SECONDS"], c["SMTP_STARTTLS"],
                          c["SMTP_USERNAME"], c["SMTP_PASSWORD"])

    def dispatcher(self) -> Dispatcher:
        return Dispatcher(self.pool, self.config, Wakeup(self.config["DATABASE_URL"], MAILINGS))

    def sender(self) -> Sender:
        return Sender(self.pool, self.mailer(), self.renderer, self.private_keys,
                      Outcomes(self.pool, self.store, self.config), self.config,
                      Wakeup(self.config["DATABASE_URL"], DELIVERIES))

    def loops(self) -> dict[str, Callable[[threading.Event], None]]:
        """The worker's background work: relay, one consumer for the projections, dispatcher, senders."""
        loops = {"notifications-relay": self.relay().run}
        # One consumer for all the service's projections: each record is read and parsed once.
        loops[CONSUMER_GROUP] = self.consumer(self.projections, group=CONSUMER_GROUP).run
        loops["notifications-dispatcher"] = self.dispatcher().run
        for number in range(int(self.config["SENDER_THREADS"])):
            loops[f"notifications-sender-{number + 1}"] = self.sender().run
        return loops

    def close(self) -> None:
        self.pool.close()


def private_keys(config: dict) -> list[str]:
    """The keys that open sealed link tokens; refuses to start without one."""
    keys = config.get("SEALED_PRIVATE_KEY")
    if not keys:
        raise RuntimeError("PORTICO_SEALED_PRIVATE_KEY is not set: make a pair with `python -m eventkit.sealed "
                           "keygen` and give identity the public key (deploy/local/keys.sh does both).")
    return [keys] if isinstance(keys, str) else list(keys)


def migrate(config: dict) -> bool:
    """Bring the database to this version's schema: the deployment's step before web and workers start
    (`python -m notifications.entrypoints.migrate`); False if it already was."""
    return db.migrate(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS,
                      lock_timeout=float(config.get("MIGRATION_LOCK_TIMEOUT", db.LOCK_TIMEOUT)),
                      give_up_after=float(config.get("MIGRATION_GIVE_UP_AFTER", db.GIVE_UP_AFTER)))


def bootstrap(config: dict) -> Notifications:
    keys = private_keys(config)
    db.require_migrated(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS, how=MIGRATE)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="notifications")
    catalogue = contracts.catalogue()
    store = ReleasedKeySealingStore(SOURCE, compiled(catalogue), config["TOPIC_PREFIX"], KeyRelease.from_config(config))
    verifier = JwksVerifier(config["JWKS"] or config["JWKS_URL"], config["JWT_ISSUER"], config["JWT_AUDIENCE"])
    return Notifications(config, pool, store, catalogue, keys,
                         verifier)
