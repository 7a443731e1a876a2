"""Second and third passes of an import, a batch of customers at a time: check, then write.

Checking decides every customer's events against the event store without appending them: it finds
the problems only the current data shows (a contact for an unknown company, a change to an archived
customer) and counts what would be created, changed or left alone; it is the whole of a dry run.
Writing decides again and appends each batch's events in one transaction (many streams, one
EventStore.append_staged: COPY, then one INSERT ... SELECT) with the job's progress, so a resumed job
starts after the last batch committed.
"""
from __future__ import annotations

from collections import Counter
from typing import Callable

from eventkit.errors import ConcurrencyConflict
from eventkit.store import EventStore, StreamAppend

from ..adapters import import_jobs, import_staging
from ..adapters.import_jobs import ImportJob
from ..domain.customer import Customer, customer_id_for, stream_id
from ..domain.import_plan import GroupPlan, plan_group

CUSTOMERS_PER_BATCH = 500


def _plans(conn, store: EventStore, job: ImportJob, groups) -> list[tuple[str, int, GroupPlan]]:
    """(stream id, its version, plan) for each customer code of the batch."""
    ids = {code: customer_id_for(job.tenant_id, code) for code, _ in groups}
    streams = store.read_streams(conn, [stream_id(i) for i in ids.values()])
    types = frozenset(t.lower() for t in job.customer_types)
    plans = []
    for code, rows in groups:
        history = streams.get(stream_id(ids[code]), [])
        plan = plan_group(Customer.from_events(history), ids[code], code, rows, types)
        plans.append((stream_id(ids[code]), len(history), plan))
    return plans


def _outcomes(plans) -> Counter:
    return sum((p.outcomes for _, _, p in plans), Counter())


def check(pool, store: EventStore, job: ImportJob, progress: Callable[[], None]) -> None:
    """Record the problems and the outcomes (what would be created, changed, unchanged) of every customer."""
    after, outcomes = "", Counter()
    while True:
        with pool.connection() as conn, conn.transaction():
            groups = import_staging.next_groups(conn, job.job_id, after, CUSTOMERS_PER_BATCH)
            if not groups:
                return
            plans = _plans(conn, store, job, groups)
            import_staging.add_problems(conn, job.job_id, [(p, code) for (_, _, plan), (code, _) in zip(plans, groups)
                                                           for p in plan.problems])
            filtered = [code for (_, _, plan), (code, _) in zip(plans, groups) if plan.filtered]
            import_staging.forget_problems_of(conn, job.job_id, filtered)
            outcomes += _outcomes(plans)
            import_jobs.update(conn, job, ", rows_filtered = rows_filtered + %(filtered)s",
                               filtered=sum(p.filtered for _, _, p in plans), outcomes=dict(outcomes))
            after = groups[-1][0]
        progress()


def write(pool, store: EventStore, job: ImportJob, progress: Callable[[], None]) -> None:
    """Append every batch's events with the job's progress, from where a previous attempt stopped."""
    after = job.resume_after or ""
    while True:
        for attempt in range(3):
            try:
                after = _write_batch(pool, store, job, after)
                break
            except ConcurrencyConflict:  # someone changed one of these customers meanwhile: decide again
                if attempt == 2:
                    raise
        if after is None:
            return
        progress()


def _write_batch(pool, store: EventStore, job: ImportJob, after: str) -> str | None:
    with pool.connection() as conn, conn.transaction():
        groups = import_staging.next_groups(conn, job.job_id, after, CUSTOMERS_PER_BATCH)
        if not groups:
            return None
        plans = _plans(conn, store, job, groups)
        appends = [StreamAppend(sid, "customer", version, plan.events) for sid, version, plan in plans]
        outcomes = Counter(import_jobs.outcomes(conn, job)) + _outcomes(plans)
        # The job's progress first, the events last: the append takes the event store's lock (store.py),
        # which every tenant's commands wait for, so it is held for the one INSERT and the commit only.
        import_jobs.update(conn, job, ", resume_after = %(after)s, rows_written = rows_written + %(rows)s,"
                           " events_written = events_written + %(events)s", after=groups[-1][0],
                           rows=sum(_outcomes(plans).values()), events=sum(len(a.events) for a in appends),
                           outcomes=dict(outcomes))
        # The events are decided from rows import_validation checked field by field, by the same domain
        # functions a command uses: they match their contracts by construction (a test checks a sample
        # with the compiled validator), so they are not validated a second time.
        store.append_staged(conn, appends, job.meta)
        return groups[-1][0]
