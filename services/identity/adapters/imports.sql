-- Customer import jobs (docs/import-format.md): queued by the API or the CLI, run by a worker, which
-- claims one with FOR UPDATE SKIP LOCKED and keeps its heartbeat fresh; a job whose worker died is
-- claimed again after a while and resumes (the import is idempotent, so redoing a batch is harmless).
CREATE TABLE IF NOT EXISTS import_jobs (
    job_id         uuid        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    actor          text        NOT NULL,
    traceparent    text,
    filename       text        NOT NULL,
    file_format    text        NOT NULL CHECK (file_format IN ('csv', 'xlsx')),
    file_size      bigint      NOT NULL,
    dry_run        boolean     NOT NULL,
    skip_invalid   boolean     NOT NULL,
    customer_types text[]      NOT NULL DEFAULT '{}',
    status         text        NOT NULL DEFAULT 'queued',
    claim          uuid,
    heartbeat_at   timestamptz,
    attempts       integer     NOT NULL DEFAULT 0,
    rows_read      integer     NOT NULL DEFAULT 0,
    rows_valid     integer     NOT NULL DEFAULT 0,
    rows_invalid   integer     NOT NULL DEFAULT 0,
    rows_filtered  integer     NOT NULL DEFAULT 0,
    rows_written   integer     NOT NULL DEFAULT 0,
    events_written integer     NOT NULL DEFAULT 0,
    outcomes       jsonb       NOT NULL DEFAULT '{}',
    resume_after   text,
    error          text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    started_at     timestamptz,
    finished_at    timestamptz
);
CREATE INDEX IF NOT EXISTS import_jobs_unfinished ON import_jobs (created_at)
    WHERE status NOT IN ('succeeded', 'rejected', 'failed');

-- The uploaded file, in chunks so that neither storing nor reading it needs it whole in memory.
CREATE TABLE IF NOT EXISTS import_file_chunks (
    job_id  uuid    NOT NULL REFERENCES import_jobs ON DELETE CASCADE,
    seq     integer NOT NULL,
    bytes   bytea   NOT NULL,
    PRIMARY KEY (job_id, seq)
);

-- The file's rows after validation, grouped by customer code for checking and writing; fields is
-- NULL for a row that is invalid. Emptied when the job finishes.
CREATE TABLE IF NOT EXISTS import_rows (
    job_id        uuid    NOT NULL,
    row_number    integer NOT NULL,
    customer_code text    NOT NULL,
    record_type   text    NOT NULL,
    fields        jsonb,
    PRIMARY KEY (job_id, row_number)
);
CREATE INDEX IF NOT EXISTS import_rows_by_customer ON import_rows (job_id, customer_code, row_number);

CREATE TABLE IF NOT EXISTS import_problems (
    job_id        uuid    NOT NULL REFERENCES import_jobs ON DELETE CASCADE,
    row_number    integer NOT NULL,
    column_name   text,
    message       text    NOT NULL,
    customer_code text
);
CREATE INDEX IF NOT EXISTS import_problems_by_row ON import_problems (job_id, row_number);
