"""A documents request asks the registry once which tables serve the caller's user, session and the
documents, and asks again after waiting for its own writes: a rebuild may have switched a table meanwhile."""
from types import SimpleNamespace

import pytest
from flask import Flask

from documents.adapters.projections.documents import PROJECTION as DOCUMENTS
from documents.adapters.projections.users import PROJECTION as USERS
from documents.bootstrap import ENDED_SESSIONS, PROJECTIONS, SCHEMA_FILES
from documents.entrypoints import documents_api, request_connection
from documents.entrypoints import serving as serving_module
from documents.entrypoints.serving import asked_on_serving, serving
from eventkit import db, projection_tables
from eventkit.db import create_pool

REBUILT = f"{DOCUMENTS.table}_rebuilt"


@pytest.fixture
def app(database):
    dsn = database("documents_registry")  # a database of its own: these tests switch its registry
    db.migrate(dsn, *SCHEMA_FILES, projections=PROJECTIONS)
    pool = create_pool(dsn, min_size=1, max_size=2)
    app = Flask(__name__)
    app.extensions["documents"] = SimpleNamespace(pool=pool, ended_sessions=ENDED_SESSIONS,
                                                  config={"TOPIC_PREFIX": ""})
    request_connection.init_app(app)
    yield app
    with pool.connection() as conn:  # serving its own table again, for the next test
        projection_tables.switch(conn, DOCUMENTS, DOCUMENTS.table)
    pool.close()


def _switch_documents(app) -> None:
    """What a rebuild's switch does to the registry, committed from another connection."""
    with app.extensions["documents"].pool.connection() as conn:
        projection_tables.switch(conn, DOCUMENTS, REBUILT)


def test_a_request_reads_the_documents_from_the_table_the_registry_named_when_it_began(app):
    with app.test_request_context():
        assert serving(USERS, ENDED_SESSIONS) == [USERS.table, ENDED_SESSIONS.table]
        _switch_documents(app)

        assert serving(DOCUMENTS) == [DOCUMENTS.table]  # one view of the registry for the whole request
        app.do_teardown_request()

    with app.test_request_context():
        assert serving(DOCUMENTS) == [REBUILT]
        app.do_teardown_request()


def test_a_request_that_waited_for_its_writes_reads_the_table_that_serves_after_the_wait(app, monkeypatch):
    monkeypatch.setattr(documents_api, "wait", lambda pool, read_model, token: _switch_documents(app))
    with app.test_request_context():
        serving(USERS, ENDED_SESSIONS)

        documents_api._after("a token of the caller's own write")

        assert serving(DOCUMENTS) == [REBUILT]
        app.do_teardown_request()


def test_a_request_without_a_token_does_not_wait_and_keeps_its_view(app, monkeypatch):
    waited = []
    monkeypatch.setattr(documents_api, "wait", lambda *args: waited.append(args))
    with app.test_request_context():
        serving(USERS, ENDED_SESSIONS)
        _switch_documents(app)

        documents_api._after(None)

        assert waited == [] and serving(DOCUMENTS) == [DOCUMENTS.table]
        app.do_teardown_request()


def _ask_users(asked: list):
    """A question about the users table a request reads, recording which table it was asked of."""
    def ask(tables):
        asked.append(tables[0])
        found = request_connection.connection().execute(f"SELECT count(*) AS n FROM {tables[0]}")
        return lambda: found.fetchone()["n"]
    return ask


def _switch_users(app, table: str) -> None:
    with app.extensions["documents"].pool.connection() as conn:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (LIKE {USERS.table})")
        projection_tables.switch(conn, USERS, table)


def test_a_request_asks_the_tables_the_registry_named_last_in_its_round_trip_and_again_once_they_switched(
        app, monkeypatch):
    monkeypatch.setattr(serving_module, "_named", {})
    asked = []
    with app.test_request_context():  # nothing named yet: the registry first, then the question
        assert asked_on_serving([USERS], _ask_users(asked))() == 0
        app.do_teardown_request()
    with app.test_request_context():  # the tables named last: the question asked once, beside the registry's
        asked_on_serving([USERS], _ask_users(asked))()
        app.do_teardown_request()
    assert asked == [USERS.table, USERS.table]

    _switch_users(app, f"{USERS.table}_rebuilt")
    try:
        with app.test_request_context():  # the guess is wrong: asked again of the table that serves now
            asked_on_serving([USERS], _ask_users(asked))()
            assert serving(USERS) == [f"{USERS.table}_rebuilt"]
            app.do_teardown_request()
        assert asked[2:] == [USERS.table, f"{USERS.table}_rebuilt"]

        _switch_users(app, f"{USERS.table}_again")
        with app.extensions["documents"].pool.connection() as conn:
            conn.execute(f"DROP TABLE {USERS.table}_rebuilt")
        with app.test_request_context():  # the table named last is gone: asked of the one that serves now
            assert asked_on_serving([USERS], _ask_users(asked))() == 0
            app.do_teardown_request()
        assert asked[4:] == [f"{USERS.table}_rebuilt", f"{USERS.table}_again"]
    finally:
        with app.extensions["documents"].pool.connection() as conn:
            projection_tables.switch(conn, USERS, USERS.table)
            conn.execute(f"DROP TABLE IF EXISTS {USERS.table}_rebuilt, {USERS.table}_again")
