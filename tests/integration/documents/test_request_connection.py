"""A request reads on one pooled connection in autocommit (no BEGIN and COMMIT round trips), and the pool gets
it back as it lent it: the next borrower, a command's unit of work among them, gets a transaction again."""
from types import SimpleNamespace

import psycopg
import pytest
from flask import Flask

from documents.entrypoints import request_connection
from eventkit.db import create_pool


@pytest.fixture
def app(database):
    pool = create_pool(database("documents"), min_size=1, max_size=1)  # one connection: the next borrower gets it
    app = Flask(__name__)
    app.extensions["documents"] = SimpleNamespace(pool=pool)
    request_connection.init_app(app)
    yield app
    pool.close()


def _one_request(app, work):
    with app.test_request_context():
        conn = request_connection.connection()
        try:
            work(conn)
        finally:
            app.do_teardown_request()
    return conn


def test_a_request_reads_in_autocommit_and_its_connection_goes_back_with_transactions(app):
    lent = _one_request(app, lambda conn: conn.execute("SELECT 1"))

    with app.extensions["documents"].pool.connection() as next_borrower:
        assert next_borrower is lent
        assert not next_borrower.autocommit
        next_borrower.execute("SELECT 1")
        assert next_borrower.info.transaction_status.name == "INTRANS"


def test_a_request_reads_each_statement_committed_at_once(app):
    def read(conn):
        conn.execute("SELECT 1")
        assert conn.autocommit and conn.info.transaction_status.name == "IDLE"

    _one_request(app, read)


def test_a_request_whose_statement_failed_still_gives_its_connection_back_with_transactions(app):
    with pytest.raises(psycopg.errors.UndefinedColumn):
        _one_request(app, lambda conn: conn.execute("SELECT no_such_column"))

    with app.extensions["documents"].pool.connection() as next_borrower:
        assert not next_borrower.autocommit


def test_a_connection_left_inside_a_transaction_is_closed_not_lent_again_in_autocommit(app):
    lent = _one_request(app, lambda conn: conn.execute("BEGIN"))

    assert lent.closed
    with app.extensions["documents"].pool.connection(timeout=10) as next_borrower:
        assert next_borrower is not lent and not next_borrower.autocommit
