"""A job's validated rows and problems in PostgreSQL, so a 100,000-row file never sits in memory whole.

Rows go in with COPY; checks across rows (a code twice) are SQL; the writer reads them back grouped
by customer code, a batch of customers at a time.
"""
from __future__ import annotations

import uuid
from typing import Iterable

import psycopg
from psycopg.types.json import Jsonb

from ..domain.import_rows import ImportRow, RowProblem

StagedRow = tuple[int, str, str, dict | None]  # row number, customer code, record type, fields (None: invalid)


def clear(conn: psycopg.Connection, job_id: uuid.UUID) -> None:
    conn.execute("DELETE FROM import_rows WHERE job_id = %s", (job_id,))
    conn.execute("DELETE FROM import_problems WHERE job_id = %s", (job_id,))


def stage(conn: psycopg.Connection, job_id: uuid.UUID, rows: Iterable[StagedRow]) -> None:
    with conn.cursor().copy("COPY import_rows (job_id, row_number, customer_code, record_type, fields)"
                            " FROM STDIN") as copy:
        copy.set_types(["uuid", "int4", "text", "text", "jsonb"])
        for number, code, record_type, fields in rows:
            copy.write_row((job_id, number, code, record_type, None if fields is None else Jsonb(fields)))


def add_problems(conn: psycopg.Connection, job_id: uuid.UUID, problems: Iterable[tuple[RowProblem, str | None]]) -> None:
    """Record (problem, customer code) pairs; the code lets a customer-type filter drop them again."""
    with conn.cursor().copy("COPY import_problems (job_id, row_number, column_name, message, customer_code)"
                            " FROM STDIN") as copy:
        for problem, code in problems:
            copy.write_row((job_id, problem.row, problem.column, problem.message, code))


def analyze(conn: psycopg.Connection) -> None:
    """Fresh statistics for the staged rows before the checks across them: planned with the counts of a
    finished job's (deleted) rows, the duplicate check of a second 200,000-row run nested its loops and
    ran for over five minutes."""
    conn.execute("ANALYZE import_rows")


def reject_duplicates(conn: psycopg.Connection, job_id: uuid.UUID) -> None:
    """A customer code on two customer rows, or one e-mail on two contact rows of a company: the later
    rows are invalid, and say which row came first."""
    conn.execute("""
        WITH keyed AS (
            SELECT row_number, customer_code, record_type,
                   min(row_number) OVER (PARTITION BY customer_code, record_type = 'contact',
                                         CASE WHEN record_type = 'contact' THEN lower(fields->>'email') END) AS first
            FROM import_rows WHERE job_id = %(job)s AND fields IS NOT NULL
        ), later AS (
            UPDATE import_rows r SET fields = NULL FROM keyed k
            WHERE r.job_id = %(job)s AND r.row_number = k.row_number AND k.row_number <> k.first
            RETURNING r.row_number, r.customer_code, r.record_type, k.first
        )
        INSERT INTO import_problems (job_id, row_number, column_name, message, customer_code)
        SELECT %(job)s, row_number, CASE WHEN record_type = 'contact' THEN 'email' ELSE 'customer_code' END,
               CASE WHEN record_type = 'contact' THEN 'The same contact e-mail for this company is on row ' || first
                    ELSE 'The code ' || customer_code || ' is also on row ' || first END || '.',
               customer_code
        FROM later""", {"job": job_id})


def next_groups(conn: psycopg.Connection, job_id: uuid.UUID, after: str, customers: int) -> list[tuple[str, list]]:
    """The rows of the next few customer codes after `after`, grouped by code; invalid rows left out."""
    rows = conn.execute("""
        SELECT row_number, customer_code, record_type, fields FROM import_rows
        WHERE job_id = %(job)s AND customer_code > %(after)s AND customer_code <= (
            SELECT max(customer_code) FROM (
                SELECT DISTINCT customer_code FROM import_rows WHERE job_id = %(job)s AND customer_code > %(after)s
                ORDER BY customer_code LIMIT %(n)s) AS codes)
        ORDER BY customer_code, row_number""", {"job": job_id, "after": after, "n": customers}).fetchall()
    groups: dict[str, list[ImportRow]] = {}
    for r in rows:
        group = groups.setdefault(r["customer_code"], [])
        if r["fields"] is not None:
            group.append(ImportRow(r["row_number"], r["record_type"], r["customer_code"], r["fields"]))
    return list(groups.items())


def forget_problems_of(conn: psycopg.Connection, job_id: uuid.UUID, codes: list[str]) -> None:
    """Rows left out by the customer-type filter are not the import's business, valid or not."""
    conn.execute("DELETE FROM import_problems WHERE job_id = %s AND customer_code = ANY(%s)", (job_id, codes))


def rows_with_problems(conn: psycopg.Connection, job_id: uuid.UUID) -> int:
    return conn.execute("SELECT count(DISTINCT row_number) AS n FROM import_problems WHERE job_id = %s",
                        (job_id,)).fetchone()["n"]


def problem_count(conn: psycopg.Connection, job_id: uuid.UUID) -> int:
    return conn.execute("SELECT count(*) AS n FROM import_problems WHERE job_id = %s", (job_id,)).fetchone()["n"]


def problems(conn: psycopg.Connection, job_id: uuid.UUID, limit: int, offset: int = 0) -> list[dict]:
    return conn.execute(
        "SELECT row_number AS row, column_name AS column, message FROM import_problems WHERE job_id = %s"
        " ORDER BY row_number, column_name NULLS FIRST LIMIT %s OFFSET %s", (job_id, limit, offset)).fetchall()
