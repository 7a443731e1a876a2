"""Import customers from the command line, with a progress bar:

    python -m identity.entrypoints.import_cli FILE --tenant demo [--dry-run] [--skip-invalid]
                                              [--customer-type TYPE ...] [--actor NAME]

The job is the same as the API's (docs/import-format.md), recorded in import_jobs so the API shows
its progress too, but this process runs it instead of the worker. Exit status: 0 imported (or a
clean dry run), 1 rejected or failed, 2 the file cannot be read.
"""
from __future__ import annotations

import argparse
import getpass
import sys
import uuid
from pathlib import Path

from tqdm import tqdm

from .. import config
from ..adapters import import_files, import_jobs
from ..bootstrap import bootstrap
from ..service_layer import imports
from ..service_layer.import_validation import FileRejected, header_of


def _arguments(argv):
    parser = argparse.ArgumentParser(prog="python -m identity.entrypoints.import_cli", description=__doc__.split("\n")[0])
    parser.add_argument("file", type=Path, help="a .csv or .xlsx file (see docs/import-format.md)")
    parser.add_argument("--tenant", required=True)
    parser.add_argument("--dry-run", action="store_true", help="report what would change; write nothing")
    parser.add_argument("--skip-invalid", action="store_true", help="import the valid rows, skip the others")
    parser.add_argument("--customer-type", action="append", default=[], dest="customer_types",
                        help="import only customers of this type (repeat for several)")
    parser.add_argument("--actor", default=f"cli:{getpass.getuser()}", help="who the events say did it")
    return parser.parse_args(argv)


class _Progress:
    """One bar per phase, fed from the job's row as the import records it."""

    def __init__(self, pool, tenant_id: str, job_id: uuid.UUID):
        self.pool, self.tenant_id, self.job_id = pool, tenant_id, job_id
        self.bar, self.phase = None, None

    def __call__(self) -> None:
        job = imports.report(self.pool, self.tenant_id, self.job_id, problems=0)
        if job["status"] != self.phase:
            self.close()
            self.phase = job["status"]
            total = job["rows_valid"] if self.phase == "writing" else None
            self.bar = tqdm(desc=self.phase, total=total, unit=" rows", file=sys.stderr, dynamic_ncols=True)
        self.bar.n = job["rows_written"] if self.phase == "writing" else job["rows_read"]
        self.bar.refresh()

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


def _print_report(job: dict) -> None:
    print(f"{job['status']}{' (dry run)' if job['dry_run'] else ''}: {job['rows_read']} rows read,"
          f" {job['rows_valid']} valid, {job['rows_invalid']} invalid, {job['rows_filtered']} left out by type,"
          f" {job['rows_written']} written ({job['events_written']} events)")
    for outcome, count in sorted(job["outcomes"].items()):
        print(f"  {outcome}: {count}")
    for p in job["problems"]:
        print(f"  row {p['row']}, {p['column'] or 'row'}: {p['message']}")
    if job["problems_total"] > len(job["problems"]):
        print(f"  ... and {job['problems_total'] - len(job['problems'])} more problems")
    if job["error"]:
        print(f"  error: {job['error']}")


def main(argv=None) -> int:
    args = _arguments(argv)
    try:
        fmt = import_files.sniff(args.file)
        if fmt == "xlsx":  # by its zip directory, before parsing anything (the worker checks again)
            settings = config.load()
            import_files.check_workbook(args.file, settings["IMPORT_MAX_UNPACKED_BYTES"],
                                        settings["IMPORT_MAX_WORKBOOK_ENTRIES"])
        header_of(args.file, fmt)
    except (OSError, import_files.UnreadableFile) as error:
        print(f"{args.file}: {error}", file=sys.stderr)
        return 2
    except FileRejected as rejected:
        for p in rejected.problems:
            print(f"{args.file}: row {p.row}, {p.column or 'header'}: {p.message}", file=sys.stderr)
        return 2
    identity = bootstrap(config.load())
    try:
        claim = uuid.uuid4()
        with open(args.file, "rb") as file:
            job_id = imports.submit(identity.pool, {
                "tenant_id": args.tenant, "actor": args.actor, "traceparent": None, "filename": args.file.name,
                "file_format": fmt, "dry_run": args.dry_run, "skip_invalid": args.skip_invalid,
                "customer_types": args.customer_types}, file, claim=claim)
        with identity.pool.connection() as conn, conn.transaction():
            job = import_jobs.claimed(conn, job_id)
        progress = _Progress(identity.pool, args.tenant, job_id)
        status = imports.run_job(identity.import_pool(), identity.store, job, identity.import_limits(), progress)
        progress.close()
        _print_report(imports.report(identity.pool, args.tenant, job_id, problems=50))
        return 0 if status == "succeeded" else 1
    finally:
        identity.close()


if __name__ == "__main__":
    sys.exit(main())
