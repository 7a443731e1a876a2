"""Migrations are a deployment step that never makes a running service wait: no process migrates as it
starts, a migration lets go of its locks when it would queue, and readiness says when logins would queue."""
from __future__ import annotations

import threading

import psycopg
import pytest

from eventkit import db
from identity import bootstrap as identity_bootstrap
from identity import config as identity_config
from identity.adapters.projections import PROJECTIONS
from identity.entrypoints.app import create_app

from ..conftest import eventually
from ..fixtures.settings import KEYS

NEW_INDEX = "CREATE INDEX IF NOT EXISTS import_rows_by_type ON import_rows (job_id, record_type)"
WAITING = ("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid)"
           " WHERE NOT l.granted AND a.datname = current_database()")


def settings_for(dsn: str, infra, topic_prefix) -> dict:
    return identity_config.load({"DATABASE_URL": dsn, "KAFKA_BOOTSTRAP": infra.kafka_bootstrap,
                                 "TOPIC_PREFIX": topic_prefix, "TESTING": True, **KEYS})


def a_long_import_statement(dsn: str) -> psycopg.Connection:
    """A session in the middle of a long statement on import_rows, holding the lock an UPDATE holds."""
    conn = psycopg.connect(dsn)
    conn.execute("LOCK TABLE import_rows IN ROW EXCLUSIVE MODE")
    return conn


def run_aside(work) -> tuple[threading.Thread, dict]:
    outcome: dict = {}

    def target():
        try:
            outcome["value"] = work()
        except BaseException as error:  # noqa: BLE001 - handed to the test
            outcome["error"] = error
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread, outcome


def test_starting_identitys_processes_takes_no_lock_that_could_queue(infra, database, topic_prefix):
    dsn = database("migrations_start")
    settings = settings_for(dsn, infra, topic_prefix)
    assert identity_bootstrap.migrate(settings) is True
    holder = a_long_import_statement(dsn)
    try:
        # The web's create_app (each gunicorn worker) and bootstrap (the worker, the admin and import CLIs).
        starts = (lambda: create_app(settings).extensions["identity"], lambda: identity_bootstrap.bootstrap(settings))
        for start in starts:
            thread, outcome = run_aside(start)
            with psycopg.connect(dsn, autocommit=True) as watcher:
                def started_or_queued():
                    waiting = watcher.execute(WAITING).fetchone()[0]
                    assert waiting or not thread.is_alive()
                    return waiting
                queued = eventually(started_or_queued, timeout=60)
            assert queued == 0, "a starting process queued behind the long statement (it migrated)"
            assert "error" not in outcome, outcome.get("error")
            outcome["value"].close()
    finally:
        holder.close()


def test_a_migration_that_would_queue_lets_go_and_gives_up_and_runs_later(infra, database, topic_prefix):
    dsn = database("migrations_blocked")
    settings = settings_for(dsn, infra, topic_prefix)
    identity_bootstrap.migrate(settings)
    files = (*identity_bootstrap.SCHEMA_FILES, NEW_INDEX)
    holder = a_long_import_statement(dsn)
    try:
        with pytest.raises(db.MigrationBlocked, match="nothing was changed"):
            db.migrate(dsn, *files, projections=PROJECTIONS, lock_timeout=0.2, give_up_after=1.0)
        with psycopg.connect(dsn, autocommit=True) as conn:
            assert conn.execute("SELECT to_regclass('import_rows_by_type')").fetchone()[0] is None
            # While it retried and after it gave up, logins and appends were never queued behind it:
            # it holds nothing now, and the tables a login writes take their locks at once.
            conn.execute("SET lock_timeout = 100")
            with conn.transaction():
                conn.execute("LOCK TABLE events, usernames, refresh_tokens, link_tokens IN ROW EXCLUSIVE MODE")
    finally:
        holder.close()
    assert db.migrate(dsn, *files, projections=PROJECTIONS, lock_timeout=0.2) is True
    with psycopg.connect(dsn, autocommit=True) as conn:
        assert conn.execute("SELECT to_regclass('import_rows_by_type')").fetchone()[0] is not None


def test_migrating_an_unchanged_schema_again_takes_no_lock(infra, database, topic_prefix):
    dsn = database("migrations_again")
    settings = settings_for(dsn, infra, topic_prefix)
    identity_bootstrap.migrate(settings)
    with psycopg.connect(dsn) as holder:
        holder.execute("LOCK TABLE import_rows, events, usernames IN ACCESS EXCLUSIVE MODE")
        assert identity_bootstrap.migrate({**settings, "MIGRATION_GIVE_UP_AFTER": 0.5,
                                           "MIGRATION_LOCK_TIMEOUT": 0.1}) is False


def test_a_process_of_a_service_not_yet_migrated_refuses_to_start_and_says_how(infra, database, topic_prefix):
    settings = settings_for(database("migrations_none"), infra, topic_prefix)
    with pytest.raises(db.NotMigrated, match="python -m identity.entrypoints.migrate"):
        identity_bootstrap.bootstrap(settings)


def test_identity_is_not_ready_while_a_lock_would_make_logins_queue(identity_app, identity):
    dsn = identity_app.extensions["identity"].config["DATABASE_URL"]
    assert identity.get("/health/ready?check=database").status_code == 200
    with psycopg.connect(dsn) as migration:  # what the migration in the incident held while it queued
        migration.execute("LOCK TABLE usernames IN SHARE MODE")
        ready = identity.get("/health/ready?check=database")
        assert ready.status_code == 503 and ready.json["unavailable"] == ["database"]
        assert ready.json["checks"]["database"].startswith("blocked: ")
        assert identity.get("/health/live").status_code == 200
    assert identity.get("/health/ready?check=database").status_code == 200
