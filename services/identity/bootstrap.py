"""Wire the identity service together: the one place that chooses real adapters."""
from __future__ import annotations

import base64
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Callable

from psycopg_pool import ConnectionPool

import contracts
from contracts.jsonschema import compiled
from contracts.personal import opening_reader
from eventkit import db, rate_limits
from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.outbox import OutboxRelay
from eventkit.projection import Projection
from eventkit.uow import UnitOfWork

from .adapters.oidc_provider import create_server
from .adapters.password_hasher import PasswordHasher
from .adapters.secret_box import SecretBox
from .adapters.sealing_store import LocalKeys, SealingStore
from .adapters.subject_keys import KeyWrapper
from .adapters.projections import PROJECTIONS
from .service_layer.import_worker import ImportWorker, run_child
from .service_layer.imports import ImportLimits
from .adapters.signing import TokenSigner
from .adapters.queue_loop import work_while_queued
from .adapters.users_uow import UsersUnitOfWork
from .domain.lockout import LockoutPolicy
from .service_layer.passwords import work_on_reset_request
from .service_layer.security import Security

SOURCE = "/portico/identity"
CONSUMER_GROUP = "identity.projections"  # the worker's consumer group; a rebuild has one of its own
SCHEMA = Path(__file__).parent / "adapters" / "schema.sql"
IMPORTS_SCHEMA = Path(__file__).parent / "adapters" / "imports.sql"
USERS_SCHEMA = Path(__file__).parent / "adapters" / "users.sql"
OIDC_SCHEMA = Path(__file__).parent / "adapters" / "oidc.sql"
SUBJECT_KEYS_SCHEMA = Path(__file__).parent / "adapters" / "subject_keys.sql"
SECOND_FACTORS_SCHEMA = Path(__file__).parent / "adapters" / "second_factors.sql"
SCHEMA_FILES = (SCHEMA, USERS_SCHEMA, IMPORTS_SCHEMA, rate_limits.SCHEMA, OIDC_SCHEMA, SUBJECT_KEYS_SCHEMA,
                SECOND_FACTORS_SCHEMA)
MIGRATE = "python -m identity.entrypoints.migrate"


@dataclass
class Identity:
    config: dict
    pool: ConnectionPool
    store: SealingStore
    catalogue: contracts.Catalogue
    projections: list[Projection] = field(default_factory=lambda: list(PROJECTIONS))
    security: Security | None = None
    oidc_server: object = None  # Authlib's authorization server (adapters/oidc_provider.py)
    _import_pool: ConnectionPool | None = None

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.pool, self.store)

    def users_uow(self) -> UsersUnitOfWork:
        return UsersUnitOfWork(self.pool, self.store)

    def relay(self) -> OutboxRelay:
        producer = partial(create_producer, self.config["KAFKA_BOOTSTRAP"], "identity-relay")
        return OutboxRelay(self.config["DATABASE_URL"], self.store, producer)

    def consumer(self, projections: Projection | list[Projection], pool: ConnectionPool | None = None,
                 follow_registry: bool = True, group: str | None = None) -> ConsumerRunner:
        """A runner for projections (each batch fanned out to all, in one transaction); a rebuild's runner
        writes its own table (follow_registry=False) under a consumer name of its own (the copy's)."""
        def consumer_factory(group: str):
            return create_consumer(self.config["KAFKA_BOOTSTRAP"], group, f"identity-{group}")
        name = group or (projections.name if isinstance(projections, Projection) else projections[0].name)
        pool = pool or self.pool  # keys read with the runner's own pool: a forked rebuild member's, say
        opening = opening_reader(self.catalogue, LocalKeys(pool, self.store.wrapper))
        return ConsumerRunner(projections, pool, opening,
                              consumer_factory, partial(create_producer, self.config["KAFKA_BOOTSTRAP"],
                                                        f"identity-{name}-dlq"),
                              topic_prefix=self.config["TOPIC_PREFIX"], follow_registry=follow_registry, group=group)

    def loops(self) -> dict[str, Callable[[threading.Event], None]]:
        """The background work the identity worker runs: relay, one consumer for the projections, imports,
        reset links."""
        loops = {"identity-relay": self.relay().run}
        # One consumer for all the service's projections: each record is read and parsed once.
        loops[CONSUMER_GROUP] = self.consumer(self.projections, group=CONSUMER_GROUP).run
        loops["identity-imports"] = partial(run_child, self.config)  # a process of its own: CPU work
        loops["identity-reset-links"] = partial(work_while_queued, "identity-reset-links",
                                                lambda: work_on_reset_request(self.users_uow(), self.security))
        return loops

    def import_limits(self) -> ImportLimits:
        c = self.config
        return ImportLimits(c["IMPORT_MAX_ROWS"], c["IMPORT_STALE_SECONDS"], c["IMPORT_WORK_DIR"],
                            c["IMPORT_MAX_UNPACKED_BYTES"], c["IMPORT_MAX_WORKBOOK_ENTRIES"],
                            float(c["IMPORT_STATEMENT_TIMEOUT_SECONDS"]), c["IMPORT_MAX_ATTEMPTS"])

    def import_pool(self) -> ConnectionPool:
        """Connections for running imports, every statement bounded: a runaway step fails its job, it never
        holds the worker (and its heartbeat) for good. Opened by the processes that run imports only."""
        if self._import_pool is None:
            self._import_pool = db.create_pool(self.config["DATABASE_URL"], max_size=2, name="identity-imports",
                                               statement_timeout=self.import_limits().statement_timeout)
        return self._import_pool

    def import_worker(self) -> ImportWorker:
        return ImportWorker(self.config["DATABASE_URL"], self.import_pool(), self.store, self.import_limits())

    def close(self) -> None:
        if self._import_pool is not None:
            self._import_pool.close()
        self.pool.close()


def security(config: dict) -> Security:
    """Password hashing, token signing and link sealing; refuses to start without its keys."""
    for key, how in (("JWT_SIGNING_KEY", "python -m identity.entrypoints.admin_cli signing-key"),
                     ("SEALED_PUBLIC_KEY", "python -m eventkit.sealed keygen")):
        if not config.get(key):
            raise RuntimeError(f"PORTICO_{key} is not set: make one with `{how}` (deploy/local/keys.sh does).")
    signer = TokenSigner(config["JWT_SIGNING_KEY"], config["JWT_ISSUER"], config["JWT_AUDIENCE"],
                         timedelta(seconds=config["ACCESS_TOKEN_TTL_SECONDS"]))
    hasher = PasswordHasher(config["ARGON2_TIME_COST"], config["ARGON2_MEMORY_COST_KIB"], config["ARGON2_PARALLELISM"])
    return Security(hasher, signer, config["SEALED_PUBLIC_KEY"],
                    link_ttl=timedelta(seconds=config["LINK_TOKEN_TTL_SECONDS"]),
                    refresh_ttl=timedelta(seconds=config["REFRESH_TOKEN_TTL_SECONDS"]),
                    lockout=LockoutPolicy(config["LOGIN_MAX_FAILURES"], timedelta(seconds=config["LOGIN_LOCK_SECONDS"])),
                    secret_box=SecretBox(config["JWT_SIGNING_KEY"]))


def key_wrapper(config: dict) -> KeyWrapper:
    """The wrapper of people's data keys; refuses to start without the key-encryption key."""
    if not config.get("SUBJECT_KEK"):
        raise RuntimeError("PORTICO_SUBJECT_KEK is not set: make one with `python -c 'import base64, os; "
                           "print(base64.b64encode(os.urandom(32)).decode())'` (deploy/local/keys.sh does).")
    return KeyWrapper(base64.b64decode(config["SUBJECT_KEK"]))


def migrate(config: dict) -> bool:
    """Bring the database to this version's schema: the deployment's step before web and workers start
    (`python -m identity.entrypoints.migrate`); False if it already was."""
    return db.migrate(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS,
                      lock_timeout=float(config.get("MIGRATION_LOCK_TIMEOUT", db.LOCK_TIMEOUT)),
                      give_up_after=float(config.get("MIGRATION_GIVE_UP_AFTER", db.GIVE_UP_AFTER)))


def bootstrap(config: dict) -> Identity:
    db.require_migrated(config["DATABASE_URL"], *SCHEMA_FILES, projections=PROJECTIONS, how=MIGRATE)
    pool = db.create_pool(config["DATABASE_URL"], max_size=config["DB_POOL_SIZE"], name="identity")
    catalogue = contracts.catalogue()
    keys = security(config)
    store = SealingStore(SOURCE, compiled(catalogue), config["TOPIC_PREFIX"], key_wrapper(config))
    return Identity(config, pool, store, catalogue,
                    security=keys, oidc_server=create_server(keys))
