"""Connection pools and schema migration for a service's own PostgreSQL database.

Migrating is a deployment step (`python -m <service>.entrypoints.migrate`), never part of a process's
start: the web's workers, the worker and the CLIs only use the schema. Each migration is recorded by
the digest of what it applied, so running it again on an unchanged schema takes no lock at all.
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import json

import orjson
import psycopg
from psycopg.pq import TransactionStatus
from psycopg.rows import dict_row
from psycopg.types.json import set_json_loads
from psycopg_pool import ConnectionPool

from .projection_tables import install

log = logging.getLogger(__name__)
MIGRATION_LOCK = 0x706F7274  # any constant; one per database is enough
LOCK_TIMEOUT = 2.0  # seconds one attempt may wait for a lock before it lets go of all it holds
GIVE_UP_AFTER = 300.0  # seconds of attempts before the deployment step fails
_RECORD = """CREATE TABLE IF NOT EXISTS schema_migrations (
    digest     text        PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
)"""


class MigrationBlocked(RuntimeError):
    """Other sessions held the locks a migration needs for longer than it may wait."""


class NotMigrated(RuntimeError):
    """The database lacks this code's schema: the deployment's migrate step has not run."""


_LONG_NUMBER = re.compile(rb"\d{19}")


def read_json(data) -> object:
    """jsonb as Python, parsed by orjson (a document list reads fifty documents a request). orjson reads an
    integer past 64 bits as a float, losing digits, so text with a run of 19 digits or more (a number that
    may be one, or a long number in a string) is read by the standard library, which keeps every digit."""
    if _LONG_NUMBER.search(data if isinstance(data, (bytes, bytearray, memoryview)) else data.encode()):
        return json.loads(bytes(data) if isinstance(data, memoryview) else data)
    return orjson.loads(data)


def _configure(conn: psycopg.Connection) -> None:
    set_json_loads(read_json, conn)


def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10, name: str = "portico",
                statement_timeout: float | None = None) -> ConnectionPool:
    """Open a pool whose connections return rows as dicts (each statement bounded, if given, in seconds)."""
    kwargs = {"row_factory": dict_row, "autocommit": False}
    if statement_timeout:
        kwargs["options"] = f"-c statement_timeout={int(statement_timeout * 1000)}"
    pool = ConnectionPool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        kwargs=kwargs,
        configure=_configure,
        name=name,
        open=False,
    )
    pool.open(wait=True, timeout=30)
    return pool


def wait_for_notify(listener: psycopg.Connection, timeout: float) -> None:
    """Return at the next NOTIFY on the channels `listener` LISTENs to, at once if one is pending, or
    after `timeout` seconds."""
    for _ in listener.notifies(timeout=timeout, stop_after=1):
        pass


def forget_notifies(listener: psycopg.Connection) -> None:
    """Drop the notifications already received, without waiting for any. A loop that looks for work
    right after calling this finds what they announced; without it, each NOTIFY that came while it
    worked would wake it once more for nothing (one per event, for the relay). A look that does not wait
    hands over one notification at most, so it looks again until a look finds none."""
    while list(listener.notifies(timeout=0)):
        pass


@contextmanager
def pipelined_transaction(conn: psycopg.Connection):
    """A transaction whose BEGIN and COMMIT travel as statements in the pipeline with the block's own: one
    round trip in all, plus one for each answer the block reads before its end. psycopg's `transaction()`
    inside a pipeline syncs as it opens and as it closes: three statements and two answers took 480-500 µs
    of CPU and 770-1,340 µs of wall time that way, 265-280 µs and 350-410 µs this way (2,000 transactions
    each, alternating, on loopback).

    The connection is in autocommit meanwhile, so that BEGIN and COMMIT are statements like any other. A
    block that raises, or a statement that fails, leaves nothing committed: the failure is raised (a failed
    statement's at the latest when the pipeline ends), the COMMIT is never sent, or finds the transaction
    aborted and only ends it; either way the connection goes back to its caller out of any transaction and
    in the mode it was lent."""
    lent_in_autocommit = conn.autocommit
    conn.autocommit = True
    try:
        with conn.pipeline():
            conn.execute("BEGIN")
            yield conn
            conn.execute("COMMIT")
    finally:
        if conn.info.transaction_status in (TransactionStatus.INTRANS, TransactionStatus.INERROR):
            conn.execute("ROLLBACK")
        if not conn.closed:
            conn.autocommit = lent_in_autocommit


def kit_schema() -> str:
    return resources.files("eventkit").joinpath("schema.sql").read_text()


def _scripts(sql_files) -> list[str]:
    return [kit_schema()] + [Path(f).read_text() if isinstance(f, Path) else f for f in sql_files]


def schema_digest(*sql_files: Path | str, projections=()) -> str:
    """What a migration applies, as one digest: the same code always migrates to the same digest."""
    h = hashlib.sha256()
    for script in _scripts(sql_files):
        h.update(script.encode() + b"\0")
    for projection in projections:
        h.update(f"{projection.name}\0{projection.table}\0{projection.schema or ''}\0".encode())
    return h.hexdigest()


def _applied(conn: psycopg.Connection, digest: str) -> bool:
    exists = conn.execute("SELECT to_regclass('schema_migrations') IS NOT NULL").fetchone()[0]
    return exists and conn.execute("SELECT 1 FROM schema_migrations WHERE digest = %s",
                                   (digest,)).fetchone() is not None


def migrate(dsn: str, *sql_files: Path | str, projections=(), lock_timeout: float = LOCK_TIMEOUT,
            give_up_after: float = GIVE_UP_AFTER) -> bool:
    """Apply the kit's tables, each SQL file, then each projection's serving table; False if already applied.

    Concurrency decision: DDL takes SHARE and stronger locks table by table, and a lock request that
    waits makes every later login and append queue behind it. So each attempt waits at most
    `lock_timeout` for any lock (a long import statement, another migration), then rolls back,
    releasing what it held, and tries again a little later, until `give_up_after`.
    """
    scripts, digest = _scripts(sql_files), schema_digest(*sql_files, projections=projections)
    deadline, pause = time.monotonic() + give_up_after, 0.2
    while True:
        try:
            with psycopg.connect(dsn, autocommit=False) as conn:
                if _applied(conn, digest):
                    return False
                conn.execute(f"SET LOCAL lock_timeout = {int(lock_timeout * 1000)}")
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                if _applied(conn, digest):  # another process migrated while this one waited
                    return False
                for script in scripts:
                    conn.execute(script)
                install(conn, projections)
                conn.execute(_RECORD)
                conn.execute("INSERT INTO schema_migrations (digest) VALUES (%s) ON CONFLICT DO NOTHING", (digest,))
                conn.commit()
                return True
        except psycopg.errors.LockNotAvailable as error:
            if time.monotonic() + pause > deadline:
                raise MigrationBlocked(f"the schema migration waited {give_up_after:.0f} s for locks other sessions "
                                       f"hold ({error}); nothing was changed, run it again later") from None
            log.warning("schema migration waits for a lock (%s); it let go of everything and retries", error)
            time.sleep(pause)
            pause = min(pause * 2, 5.0)


def require_migrated(dsn: str, *sql_files: Path | str, projections=(), how: str = "") -> None:
    """Raise NotMigrated unless this exact schema was migrated; a read, no lock anyone waits for."""
    digest = schema_digest(*sql_files, projections=projections)
    with psycopg.connect(dsn, autocommit=True) as conn:
        if not _applied(conn, digest):
            raise NotMigrated(f"the database has not been migrated to this version's schema: run "
                              f"{how or 'the migrate step'} first (deploy/local/services.sh, docker-compose.yml "
                              "and deploy/k8s do)")
