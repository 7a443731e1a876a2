"""First pass of an import: read the file once, validate every row, stage the rows, record the problems."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from ..adapters import import_files, import_jobs, import_staging
from ..adapters.import_jobs import ImportJob
from ..domain.import_rows import RowProblem, check_header, read_row

CHUNK_ROWS = 5000


class FileRejected(Exception):
    """The file as a whole cannot be imported (unreadable, bad header, too many rows)."""

    def __init__(self, problems: list[RowProblem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


def column_name(heading: str | None) -> str:
    """'Customer Code' and 'customer-code' both name the customer_code column."""
    return (heading or "").strip().lower().replace(" ", "_").replace("-", "_")


def header_of(path: Path, fmt: str) -> list[str]:
    """The file's columns, or FileRejected naming each column that is unknown, repeated or missing
    (UnreadableFile if it is no CSV or workbook at all)."""
    first = next(import_files.rows(path, fmt), None)
    if first is None:
        raise FileRejected([RowProblem(1, None, "The file is empty; the first row must name the columns.")])
    header = [column_name(h) for h in first[1]]
    while header and not header[-1]:
        header.pop()
    problems = check_header(header)
    if problems:
        raise FileRejected(problems)
    return header


def cells_of(number: int, header: list[str], values: list[str | None]) -> tuple[dict, list[RowProblem]]:
    extra = [v for v in values[len(header):] if v is not None]
    problems = [RowProblem(number, None, f"{len(extra)} value(s) beyond the last named column.")] if extra else []
    return dict(zip(header, values + [None] * (len(header) - len(values)))), problems


def validate(pool, job: ImportJob, path: Path, limits, progress: Callable[[], None]) -> None:
    """Stage every row of the file (invalid ones without fields) and every problem, a chunk at a time;
    a workbook is checked by its zip directory before anything parses it (import_files.check_workbook)."""
    try:
        if job.file_format == "xlsx":
            import_files.check_workbook(path, limits.max_unpacked_bytes, limits.max_workbook_entries)
        header = header_of(path, job.file_format)
    except import_files.UnreadableFile as error:
        raise FileRejected([RowProblem(1, None, str(error))]) from None
    with pool.connection() as conn, conn.transaction():
        import_staging.clear(conn, job.job_id)
        import_jobs.update(conn, job, ", rows_read = 0, rows_valid = 0, rows_invalid = 0")
    for staged, problems, read in _chunks(path, job.file_format, header, limits.max_rows):
        with pool.connection() as conn, conn.transaction():
            import_staging.stage(conn, job.job_id, staged)
            import_staging.add_problems(conn, job.job_id, problems)
            valid = sum(1 for s in staged if s[3] is not None)
            import_jobs.update(conn, job, ", rows_read = rows_read + %(read)s, rows_valid = rows_valid + %(valid)s,"
                               " rows_invalid = rows_invalid + %(invalid)s", read=read, valid=valid,
                               invalid=read - valid)
        progress()
    with pool.connection() as conn, conn.transaction():
        import_staging.analyze(conn)
        import_staging.reject_duplicates(conn, job.job_id)


def _chunks(path: Path, fmt: str, header: list[str], max_rows: int) -> Iterator[tuple[list, list, int]]:
    staged, problems, read, number = [], [], 0, 1
    rows = import_files.rows(path, fmt)
    next(rows)
    try:
        for number, values in rows:
            read += 1
            if read > max_rows:
                raise FileRejected([RowProblem(number, None, f"More than {max_rows} rows; split the file.")])
            cells, extra = cells_of(number, header, values)
            row, row_problems = read_row(number, cells)
            code = cells.get("customer_code")
            problems += [(p, code) for p in extra + row_problems]
            if code:
                fields = row.fields if row is not None and not extra else None
                staged.append((number, code, cells.get("record_type") or "", fields))
            if read % CHUNK_ROWS == 0:
                yield staged, problems, CHUNK_ROWS
                staged, problems = [], []
    except import_files.UnreadableFile as error:
        raise FileRejected([RowProblem(number + 1, None, str(error))]) from None  # the row after the last read
    yield staged, problems, read % CHUNK_ROWS
