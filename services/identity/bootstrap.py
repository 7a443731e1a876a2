"""Wire the identity service together: the one place that chooses real adapters."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable

from psycopg_pool import ConnectionPool

import contracts
from eventkit import db
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.outbox import OutboxRelay
from eventkit.projection import Projection
from eventkit.store import EventStore
from eventkit.uow import UnitOfWork

from .adapters.projections import PROJECTIONS

SOURCE = "/portico/identity"
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"


@dataclass
class Identity:
    config: dict
    pool: ConnectionPool
    store: EventStore
    catalogue: contracts.Catalogue
    projections: list[Projection] = field(default_factory=lambda: list(PROJECTIONS))

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.pool, self.store)

    def relay(self) -> OutboxRelay:
        producer = partial(create_producer, self.config["KAFKA_BOOTSTRAP"], "identity-relay")
        return OutboxRelay(self.config["DATABASE_URL"], self.store, producer)

    def consumer(self, projection: Projection, pool: ConnectionPool | None = None) -> ConsumerRunner:
        """A runner for one of identity's own projections, fed from its own topic."""
        def consumer_factory(group: str):
            return create_consumer(self.config["KAFKA_BOOTSTRAP"], group, f"identity-{group}")
        dead_letters = partial(create_producer, self.config["KAFKA_BOOTSTRAP"], f"identity-{projection.name}-dlq")
        return ConsumerRunner(projection, pool or self.pool, self.catalogue, consumer_factory, dead_letters,
                              topic_prefix=self.config["TOPIC_PREFIX"])

    def loops(self) -> dict[str, Callable[[threading.Event], None]]:
        """The background work the identity worker runs: relay and one consumer per projection."""
        loops = {"identity-relay": self.relay().run}
        for projection in self.projections:
            loops[projection.name] = self.consumer(projection).run
        return loops

    def close(self) -> None:
        self.pool.close()


def bootstrap(config: dict) -> Identity:
    db.migrate(config["DATABASE_URL"], SCHEMA, projections=PROJECTIONS)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="identity")
    catalogue = contracts.catalogue()
    return Identity(config, pool, EventStore(SOURCE, catalogue, config["TOPIC_PREFIX"]), catalogue)
