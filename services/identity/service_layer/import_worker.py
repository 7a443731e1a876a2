"""The identity worker's import loop: claim a queued job, run it, wait for the next (NOTIFY or a poll)."""
from __future__ import annotations

import ctypes
import json
import logging
import os
import resource
import signal
import subprocess
import sys
import threading
from pathlib import Path

import psycopg

from eventkit import db
from eventkit.store import EventStore

from ..adapters import import_jobs
from .imports import ImportLimits, run_job

log = logging.getLogger(__name__)
_SERVICES = Path(__file__).resolve().parents[2]


def run_child(settings: dict, stop: threading.Event) -> None:
    """Run the import loop as a child process with the worker's settings until told to stop.

    Reading, validating and deciding rows is CPU work; in the worker's own process it held the GIL
    against the relay and the consumers, whose many short database calls each waited for it again
    (`make bench` saw them fall to about 10 events/s while an import ran).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(_SERVICES.parent), str(_SERVICES)])}
    env.update({f"PORTICO_{k}": v if isinstance(v, str) else json.dumps(v)
                for k, v in settings.items() if v is not None and k.isupper()})
    env.pop("PORTICO_METRICS_PORT", None)  # the worker's port is the worker's
    env.setdefault("MALLOC_ARENA_MAX", "2")  # per-thread arenas would reserve address space the limit counts
    child = subprocess.Popen([sys.executable, "-m", "identity.entrypoints.import_worker"], env=env,
                             preexec_fn=_die_with_parent)
    try:
        while not stop.wait(1.0):
            if child.poll() is not None:
                raise RuntimeError(f"the import worker exited with status {child.returncode}")
    finally:
        child.terminate()
        try:
            child.wait(timeout=30)
        except subprocess.TimeoutExpired:
            child.kill()


def limit_memory(mib: int) -> None:
    """Cap this process's address space: a file that needs more fails its job with MemoryError (imports.py
    says so in the job) instead of growing the process, as a workbook expanding to 1 GiB grew it by 1.2 GB."""
    limit = int(mib) * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))


def _die_with_parent() -> None:
    """Have Linux stop the child when the worker dies, even if killed outright: no orphan importing on."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # 1: PR_SET_PDEATHSIG
    except (AttributeError, OSError):  # not Linux: the worker's own shutdown still stops the child
        pass


class ImportWorker:
    """One job at a time per worker; run more workers for more jobs at once (SKIP LOCKED shares them)."""

    def __init__(self, dsn: str, pool, store: EventStore, limits: ImportLimits, idle_wait: float = 2.0):
        self.dsn, self.pool, self.store, self.limits, self.idle_wait = dsn, pool, store, limits, idle_wait
        self.finished = 0

    def run(self, stop: threading.Event) -> None:
        with psycopg.connect(self.dsn, autocommit=True) as listener:
            listener.execute(f"LISTEN {import_jobs.IMPORTS_CHANNEL}")
            while not stop.is_set():
                if not self.run_next():
                    db.wait_for_notify(listener, self.idle_wait)

    def run_next(self) -> bool:
        """Run the next waiting job, if any; True if there was one."""
        with self.pool.connection() as conn, conn.transaction():
            job = import_jobs.claim(conn, self.limits.stale_seconds, max_attempts=self.limits.max_attempts)
        if job is None:
            return False
        log.info("import %s for tenant %s: %s", job.job_id, job.tenant_id, job.status)
        status = run_job(self.pool, self.store, job, self.limits)
        log.info("import %s finished: %s", job.job_id, status)
        self.finished += 1
        return True
