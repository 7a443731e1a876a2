"""Connection pools and schema migration for a service's own PostgreSQL database."""
from __future__ import annotations

from importlib import resources
from pathlib import Path

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from .projection_tables import install

MIGRATION_LOCK = 0x706F7274  # any constant; one per database is enough


def create_pool(dsn: str, *, min_size: int = 1, max_size: int = 10, name: str = "portico") -> ConnectionPool:
    """Open a pool whose connections return rows as dicts."""
    pool = ConnectionPool(
        dsn,
        min_size=min_size,
        max_size=max_size,
        kwargs={"row_factory": dict_row, "autocommit": False},
        name=name,
        open=False,
    )
    pool.open(wait=True, timeout=30)
    return pool


def kit_schema() -> str:
    return resources.files("eventkit").joinpath("schema.sql").read_text()


def migrate(dsn: str, *sql_files: Path | str, projections=()) -> None:
    """Apply the kit's tables, each SQL file, then each projection's serving table, serialised so
    concurrent starts don't race."""
    scripts = [kit_schema()] + [Path(f).read_text() if isinstance(f, Path) else f for f in sql_files]
    with psycopg.connect(dsn, autocommit=False) as conn:
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        for script in scripts:
            conn.execute(script)
        install(conn, projections)
        conn.commit()
