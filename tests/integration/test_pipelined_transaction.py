"""A pipelined transaction: BEGIN, the block's statements and COMMIT in one pipeline. What the block wrote is
committed only if it ends well; whatever fails, nothing is written and the connection comes back out of any
transaction, in the mode it was lent."""
import psycopg
import pytest

from eventkit.db import pipelined_transaction


@pytest.fixture
def conn(database):
    with psycopg.connect(database("pipelined")) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS written (n integer PRIMARY KEY)")
        conn.execute("TRUNCATE written")
        conn.commit()
        yield conn


def _written(conn) -> list[int]:
    rows = [n for (n,) in conn.execute("SELECT n FROM written ORDER BY n").fetchall()]
    conn.rollback()
    return rows


def _out_of_any_transaction_as_lent(conn) -> bool:
    return conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE and not conn.autocommit


def test_the_block_s_statements_are_committed_together_and_its_answers_read_before_the_end(conn):
    with pipelined_transaction(conn):
        conn.execute("INSERT INTO written VALUES (1)")
        answer = conn.execute("INSERT INTO written VALUES (2) RETURNING n").fetchone()
        assert answer == (2,)

    assert _written(conn) == [1, 2]
    assert _out_of_any_transaction_as_lent(conn)


def test_a_block_that_raises_after_reading_an_answer_writes_nothing(conn):
    with pytest.raises(RuntimeError, match="the answer was not the one guessed"):
        with pipelined_transaction(conn):
            conn.execute("INSERT INTO written VALUES (1)")
            conn.execute("SELECT 1").fetchone()
            raise RuntimeError("the answer was not the one guessed")

    assert _written(conn) == []
    assert _out_of_any_transaction_as_lent(conn)


def test_a_failing_statement_is_raised_and_the_statements_before_it_are_not_committed(conn):
    with pytest.raises(psycopg.errors.UniqueViolation):
        with pipelined_transaction(conn):
            conn.execute("INSERT INTO written VALUES (1)")
            conn.execute("INSERT INTO written VALUES (1)")  # its error comes back when the pipeline ends
            conn.execute("INSERT INTO written VALUES (2)")

    assert _written(conn) == []
    assert _out_of_any_transaction_as_lent(conn)


def test_a_connection_lent_in_autocommit_goes_back_in_autocommit(conn):
    conn.autocommit = True

    with pipelined_transaction(conn):
        conn.execute("INSERT INTO written VALUES (3)")

    assert conn.autocommit and conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
    conn.autocommit = False
    assert _written(conn) == [3]
