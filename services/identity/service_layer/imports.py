"""Customer imports as jobs: submit a file, run it (validate, check, write), report on it.

A job is all or nothing with respect to problems: unless skip_invalid, a file with any invalid row
writes nothing. It is not one transaction (appending 300,000 events in one would hold the event
store's append lock for minutes); if a worker dies while writing, the job resumes after the last
committed batch, and since the import is idempotent, rerunning any part of it is harmless.
"""
from __future__ import annotations

import logging
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Callable

import psycopg

from eventkit.store import EventStore

from ..adapters import import_files, import_jobs, import_staging
from ..adapters.import_jobs import ImportJob, LostClaim
from . import import_validation, import_writing
from .import_validation import FileRejected

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ImportLimits:
    max_rows: int = 1_000_000
    stale_seconds: float = 120.0
    work_dir: str | None = None  # where a worker keeps the file while it reads it; None: the system's temp dir
    max_unpacked_bytes: int = import_files.MAX_UNPACKED_BYTES
    max_workbook_entries: int = import_files.MAX_ENTRIES
    statement_timeout: float = 60.0  # seconds any one statement of a job may take (its pool's setting)
    max_attempts: int = 3  # claims of one job (workers that stopped) before it is failed instead


def submit(pool, upload: dict, file: BinaryIO, claim: uuid.UUID | None = None) -> uuid.UUID:
    """Store the file and queue the job: upload has tenant_id, actor, traceparent, filename, file_format,
    dry_run, skip_invalid, customer_types."""
    with pool.connection() as conn, conn.transaction():
        return import_jobs.create(conn, upload, file, claim)


def run_job(pool, store: EventStore, job: ImportJob, limits: ImportLimits,
            progress: Callable[[], None] = lambda: None) -> str:
    """Take a claimed job to its end; returns its final status ('lost' if another worker took it over)."""
    try:
        with tempfile.TemporaryDirectory(dir=limits.work_dir, prefix="portico-import-") as tmp:
            path = Path(tmp) / "upload"
            with pool.connection() as conn:
                import_jobs.write_file(conn, job.job_id, path)
            return _phases(pool, store, job, path, limits, progress)
    except FileRejected as rejected:
        with pool.connection() as conn, conn.transaction():
            import_staging.add_problems(conn, job.job_id, [(p, None) for p in rejected.problems])
            import_jobs.finish(conn, job, "rejected")
        return "rejected"
    except LostClaim:
        log.warning("import %s was taken over by another worker", job.job_id)
        return "lost"
    except psycopg.errors.QueryCanceled:
        log.error("import %s: a statement outlasted %s s", job.job_id, limits.statement_timeout)
        return _fail(pool, job, f"A step of the import took longer than {limits.statement_timeout:g} s and was "
                                "stopped (the database was busy, or the file is very large). Run it again later, "
                                "or split the file.")
    except MemoryError:
        log.error("import %s: out of the import worker's memory", job.job_id)
        return _fail(pool, job, "Reading the file needed more memory than an import may use. Split it into "
                                "smaller files, or save it as CSV.")
    except Exception as error:
        log.exception("import %s failed", job.job_id)
        with pool.connection() as conn, conn.transaction():
            import_jobs.finish(conn, job, "failed", f"{type(error).__name__}: {error}"[:2000])
        return "failed"


def _fail(pool, job: ImportJob, why: str) -> str:
    """Record the failure first: what made the job fail (a long statement, a lock) may still hold its rows."""
    with pool.connection() as conn, conn.transaction():
        import_jobs.close(conn, job, "failed", why)
    try:
        with pool.connection() as conn, conn.transaction():
            import_jobs.forget(conn, job.job_id)
    except psycopg.errors.QueryCanceled:
        log.warning("import %s: its staged rows are left until a later cleanup", job.job_id)
    return "failed"


def _phases(pool, store: EventStore, job: ImportJob, path: Path, limits: ImportLimits, progress) -> str:
    if job.status != "writing":  # a job taken over before writing starts again from the file
        import_validation.validate(pool, job, path, limits, progress)
        _set(pool, job, "checking", ", outcomes = '{}', rows_filtered = 0")
        import_writing.check(pool, store, job, progress)
        with pool.connection() as conn, conn.transaction():
            invalid = import_staging.rows_with_problems(conn, job.job_id)
            import_jobs.update(conn, job, ", rows_invalid = %(n)s,"
                               " rows_valid = rows_read - %(n)s - rows_filtered", n=invalid)
            if job.dry_run or (invalid and not job.skip_invalid):
                status = "rejected" if invalid and not job.skip_invalid else "succeeded"
                import_jobs.finish(conn, job, status)
                return status
        _set(pool, job, "writing", ", outcomes = '{}', resume_after = NULL")
    import_writing.write(pool, store, job, progress)
    with pool.connection() as conn, conn.transaction():
        import_jobs.finish(conn, job, "succeeded")
    return "succeeded"


def _set(pool, job: ImportJob, status: str, sets: str) -> None:
    with pool.connection() as conn, conn.transaction():
        import_jobs.update(conn, job, f", status = %(status)s{sets}", status=status)


def report(pool, tenant_id: str, job_id: uuid.UUID, problems: int = 100) -> dict | None:
    """The job's progress or result, with its first problems (row, column, message)."""
    with pool.connection() as conn:
        job = import_jobs.report(conn, tenant_id, job_id)
        if job is None:
            return None
        job.update({k: v.isoformat() for k, v in job.items() if hasattr(v, "isoformat") and v is not None})
        job["problems"] = import_staging.problems(conn, job_id, problems)
        job["problems_total"] = import_staging.problem_count(conn, job_id)
    return job
