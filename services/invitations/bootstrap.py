"""Wire the invitations service together: the one place that chooses real adapters."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from psycopg_pool import ConnectionPool

import contracts
from eventkit import db
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.outbox import OutboxRelay
from eventkit.projection import Projection
from eventkit.store import EventStore

from .adapters.projections import PROJECTIONS

SOURCE = "/portico/invitations"
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"


@dataclass
class Invitations:
    config: dict
    pool: ConnectionPool
    store: EventStore
    catalogue: contracts.Catalogue
    projections: list[Projection] = field(default_factory=lambda: list(PROJECTIONS))

    def _producer(self, client_id: str):
        return partial(create_producer, self.config["KAFKA_BOOTSTRAP"], client_id)

    def relay(self) -> OutboxRelay:
        return OutboxRelay(self.config["DATABASE_URL"], self.store, self._producer("invitations-relay"))

    def consumer(self, projection: Projection, pool: ConnectionPool | None = None,
                 follow_registry: bool = True) -> ConsumerRunner:
        """A runner for one projection, writing to this service's pool unless told another; a
        rebuild's runner writes its own table instead of the registry's (follow_registry=False)."""
        def consumer_factory(group: str):
            return create_consumer(self.config["KAFKA_BOOTSTRAP"], group, f"invitations-{group}")
        return ConsumerRunner(projection, pool or self.pool, self.catalogue, consumer_factory,
                              self._producer(f"invitations-{projection.name}-dlq"),
                              topic_prefix=self.config["TOPIC_PREFIX"], follow_registry=follow_registry)

    def close(self) -> None:
        self.pool.close()


def bootstrap(config: dict) -> Invitations:
    db.migrate(config["DATABASE_URL"], SCHEMA, projections=PROJECTIONS)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="invitations")
    catalogue = contracts.catalogue()
    return Invitations(config, pool, EventStore(SOURCE, catalogue, config["TOPIC_PREFIX"]), catalogue)
