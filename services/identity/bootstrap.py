"""Wire the identity service together: the one place that chooses real adapters."""
from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from pathlib import Path

from psycopg_pool import ConnectionPool

import contracts
from eventkit import db
from eventkit.kafka import create_producer
from eventkit.outbox import OutboxRelay
from eventkit.store import EventStore
from eventkit.uow import UnitOfWork

SOURCE = "/portico/identity"
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"


@dataclass
class Identity:
    config: dict
    pool: ConnectionPool
    store: EventStore

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.pool, self.store)

    def relay(self) -> OutboxRelay:
        producer = partial(create_producer, self.config["KAFKA_BOOTSTRAP"], "identity-relay")
        return OutboxRelay(self.config["DATABASE_URL"], self.store, producer)

    def close(self) -> None:
        self.pool.close()


def bootstrap(config: dict) -> Identity:
    db.migrate(config["DATABASE_URL"], SCHEMA)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="identity")
    return Identity(config, pool, EventStore(SOURCE, contracts.catalogue(), config["TOPIC_PREFIX"]))
