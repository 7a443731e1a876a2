"""A documents request asks the registry once which tables serve the caller's user, session and the
documents, and asks again after waiting for its own writes: a rebuild may have switched a table meanwhile."""
from types import SimpleNamespace

import pytest
from flask import Flask

from documents.adapters.projections.documents import PROJECTION as DOCUMENTS
from documents.adapters.projections.users import PROJECTION as USERS
from documents.bootstrap import ENDED_SESSIONS, PROJECTIONS, SCHEMA_FILES
from documents.entrypoints import documents_api, request_connection
from documents.entrypoints.serving import serving
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
