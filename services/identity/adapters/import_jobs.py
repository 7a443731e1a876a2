"""The import_jobs table: queue, claim, progress and report of customer imports; the file in chunks."""
from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import psycopg
from psycopg.types.json import Jsonb

from eventkit.envelope import Metadata

CHUNK_BYTES = 1024 * 1024
IMPORTS_CHANNEL = "portico_imports"
FINISHED = ("succeeded", "rejected", "failed")
_REPORT = """job_id, tenant_id, actor, filename, file_format, file_size, dry_run, skip_invalid, customer_types,
             status, attempts, rows_read, rows_valid, rows_invalid, rows_filtered, rows_written, events_written,
             outcomes, error, created_at, started_at, finished_at"""


class LostClaim(Exception):
    """Another worker claimed the job (this one was presumed dead): stop working on it."""


@dataclass(frozen=True)
class ImportJob:
    job_id: uuid.UUID
    tenant_id: str
    actor: str
    traceparent: str | None
    file_format: str
    dry_run: bool
    skip_invalid: bool
    customer_types: tuple[str, ...]
    status: str
    claim: uuid.UUID
    resume_after: str | None = None

    @property
    def meta(self) -> Metadata:
        """Every event the import appends carries the job's actor, and the job id as correlation id."""
        return Metadata(self.tenant_id, self.actor, correlation_id=self.job_id, traceparent=self.traceparent)


def create(conn: psycopg.Connection, job: dict, file: BinaryIO, claim: uuid.UUID | None = None) -> uuid.UUID:
    """Store a new job and its file; with a claim, the caller runs it itself (the CLI) instead of a worker."""
    job_id = uuid.uuid4()
    conn.execute(
        "INSERT INTO import_jobs (job_id, tenant_id, actor, traceparent, filename, file_format, file_size, dry_run,"
        " skip_invalid, customer_types, claim, heartbeat_at, status) VALUES (%(job_id)s, %(tenant_id)s, %(actor)s,"
        " %(traceparent)s, %(filename)s, %(file_format)s, 0, %(dry_run)s, %(skip_invalid)s, %(customer_types)s,"
        " %(claim)s, CASE WHEN %(claim)s::uuid IS NULL THEN NULL ELSE now() END,"
        " CASE WHEN %(claim)s::uuid IS NULL THEN 'queued' ELSE 'validating' END)",
        {**job, "job_id": job_id, "claim": claim, "customer_types": list(job["customer_types"])},
    )
    size, seq = 0, 0
    while chunk := file.read(CHUNK_BYTES):
        conn.execute("INSERT INTO import_file_chunks (job_id, seq, bytes) VALUES (%s, %s, %s)", (job_id, seq, chunk))
        size, seq = size + len(chunk), seq + 1
    conn.execute("UPDATE import_jobs SET file_size = %s WHERE job_id = %s", (size, job_id))
    conn.execute(f"NOTIFY {IMPORTS_CHANNEL}")
    return job_id


def claim(conn: psycopg.Connection, stale_seconds: float, job_id: uuid.UUID | None = None,
          max_attempts: int = 3) -> ImportJob | None:
    """Claim the oldest waiting job, or one whose worker stopped sending heartbeats; a job whose workers
    stopped max_attempts times (killed, out of memory) is failed instead of being taken over again."""
    while True:
        row = conn.execute(
            "SELECT job_id, claim, attempts FROM import_jobs WHERE status NOT IN ('succeeded', 'rejected', 'failed')"
            " AND (claim IS NULL OR heartbeat_at < now() - make_interval(secs => %s))"
            " AND (%s::uuid IS NULL OR job_id = %s) ORDER BY created_at LIMIT 1 FOR UPDATE SKIP LOCKED",
            (stale_seconds, job_id, job_id),
        ).fetchone()
        if row is None:
            return None
        if row["claim"] is None or row["attempts"] < max_attempts:
            return _take(conn, row["job_id"], uuid.uuid4())
        _give_up(conn, row["job_id"], f"The import stopped {row['attempts']} times without finishing (its worker was "
                                      "stopped or ran out of memory), so it was not started again. Split the file, "
                                      "or ask an operator to look at the identity worker's log.")


def _give_up(conn: psycopg.Connection, job_id: uuid.UUID, why: str) -> None:
    conn.execute("UPDATE import_jobs SET status = 'failed', error = %s, claim = NULL, finished_at = now()"
                 " WHERE job_id = %s", (why, job_id))
    forget(conn, job_id)


def _take(conn: psycopg.Connection, job_id: uuid.UUID, token: uuid.UUID) -> ImportJob:
    r = conn.execute(
        "UPDATE import_jobs SET claim = %s, heartbeat_at = now(), attempts = attempts + 1,"
        " status = CASE status WHEN 'queued' THEN 'validating' ELSE status END,"
        " started_at = coalesce(started_at, now()) WHERE job_id = %s RETURNING *", (token, job_id),
    ).fetchone()
    return ImportJob(r["job_id"], r["tenant_id"], r["actor"], r["traceparent"], r["file_format"], r["dry_run"],
                     r["skip_invalid"], tuple(r["customer_types"]), r["status"], r["claim"], r["resume_after"])


def claimed(conn: psycopg.Connection, job_id: uuid.UUID) -> ImportJob:
    """A job created with a claim (see create), as its creator runs it."""
    r = conn.execute("SELECT claim FROM import_jobs WHERE job_id = %s", (job_id,)).fetchone()
    return _take(conn, job_id, r["claim"])


def update(conn: psycopg.Connection, job: ImportJob, sets: str = "", **params) -> None:
    """Record progress (and the heartbeat) in the caller's transaction, only while the claim is ours."""
    outcomes = params.pop("outcomes", None)
    if outcomes is not None:
        sets += ", outcomes = %(outcomes)s"
        params["outcomes"] = Jsonb(outcomes)
    done = conn.execute(
        f"UPDATE import_jobs SET heartbeat_at = now(){sets} WHERE job_id = %(job_id)s AND claim = %(claim)s",
        {**params, "job_id": job.job_id, "claim": job.claim},
    ).rowcount
    if not done:
        raise LostClaim(str(job.job_id))


def outcomes(conn: psycopg.Connection, job: ImportJob) -> dict[str, int]:
    return conn.execute("SELECT outcomes FROM import_jobs WHERE job_id = %s", (job.job_id,)).fetchone()["outcomes"]


def finish(conn: psycopg.Connection, job: ImportJob, status: str, error: str | None = None) -> None:
    """Close the job and forget its file and staged rows; the report stays."""
    close(conn, job, status, error)
    forget(conn, job.job_id)


def close(conn: psycopg.Connection, job: ImportJob, status: str, error: str | None = None) -> None:
    update(conn, job, ", status = %(status)s, error = %(error)s, finished_at = now()", status=status, error=error)


def forget(conn: psycopg.Connection, job_id: uuid.UUID) -> None:
    """Delete a finished job's file and staged rows."""
    conn.execute("DELETE FROM import_file_chunks WHERE job_id = %s", (job_id,))
    conn.execute("DELETE FROM import_rows WHERE job_id = %s", (job_id,))


def write_file(conn: psycopg.Connection, job_id: uuid.UUID, path: Path) -> None:
    """Copy the stored file to a local path one chunk at a time."""
    with open(path, "wb") as out:
        seq = 0
        while row := conn.execute("SELECT bytes FROM import_file_chunks WHERE job_id = %s AND seq = %s",
                                  (job_id, seq)).fetchone():
            out.write(row["bytes"])
            seq += 1


def report(conn: psycopg.Connection, tenant_id: str, job_id: uuid.UUID) -> dict | None:
    return conn.execute(f"SELECT {_REPORT} FROM import_jobs WHERE tenant_id = %s AND job_id = %s",
                        (tenant_id, job_id)).fetchone()
