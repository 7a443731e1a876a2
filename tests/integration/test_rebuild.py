"""A projection rebuilt into a fresh table beside the serving one ends equal to it, then serves."""
from __future__ import annotations

import os
from functools import partial

import pytest

from eventkit.consumer import ConsumerRunner
from eventkit.kafka import create_consumer, create_producer
from eventkit.key_release import KeyReleaseUnavailable
from eventkit.offsets import topic_heads
from eventkit.projection_tables import active_table
from eventkit.rebuild import RebuildFailed, rebuild
from eventkit.rebuild_members import shares

from ..conftest import eventually

COLUMNS = "code, name, kind, customer_type, sales_rep, price_list, emails, usernames, archived"


def snapshot(pool, tenant, table):
    with pool.connection() as conn:
        return conn.execute(f"SELECT {COLUMNS} FROM {table} WHERE tenant_id = %s ORDER BY code",
                            (tenant,)).fetchall()


def serving_table(service):
    with service.pool.connection() as conn:
        return active_table(conn, service.projections[0])


@pytest.mark.parametrize("processes", [1, 2], ids=["one process", "two processes sharing the partitions"])
def test_a_rebuilt_projection_equals_the_live_one_and_takes_over_serving(
        identity, invitations, invitations_app, pipeline, infra, topic_prefix, tenant, staff_headers, processes):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    identity.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    for n in range(3):
        identity.post(f"/v1/tenants/{tenant}/customers",
                      json={"code": f"K{n}", "name": f"Kunde {n}", "receivable_account": f"R{n}"})
    identity.patch(f"/v1/tenants/{tenant}/customers/K1", json={"sales_rep": "rep-2"})
    identity.post(f"/v1/tenants/{tenant}/customers/K2/archive", json={})
    service = invitations_app.extensions["invitations"]
    old = serving_table(service)

    def live_settled():
        rows = snapshot(service.pool, tenant, old)
        assert [(r["code"], r["sales_rep"], r["archived"]) for r in rows] == [
            ("K0", None, False), ("K1", "rep-2", False), ("K2", None, True)]
        return rows

    live = eventually(live_settled)
    projection = service.projections[0]
    progress = []
    new = rebuild(service.pool, projection, lambda copy, pool: service.consumer(copy, pool=pool, follow_registry=False),
                  lambda: topic_heads(infra.kafka_bootstrap, [topic_prefix + t for t in projection.topics]),
                  on_progress=lambda done, total: progress.append((done, total)), processes=processes)

    assert serving_table(service) == new != old
    assert snapshot(service.pool, tenant, new) == live
    assert progress[-1][0] == progress[-1][1] > 0
    # The live runner now writes the new table, and the query side reads it.
    identity.post(f"/v1/tenants/{tenant}/customers", json={"code": "K3", "name": "Kunde 3", "receivable_account": "R3"})
    eventually(lambda: [c["code"] for c in invitations.get(f"/v1/tenants/{tenant}/candidates").json["items"]]
               == ["K0", "K1", "K3"] or _fail())
    with service.pool.connection() as conn:
        assert conn.execute("SELECT to_regclass(%s) AS t", (old,)).fetchone()["t"] is None


class KeyReleaseAway:
    """The reader of a service whose key release does not answer: every event it must open."""

    def read(self, record):
        raise KeyReleaseUnavailable("identity's key release is not answering")


def test_a_rebuild_that_cannot_read_through_an_outage_gives_up_and_the_live_table_keeps_serving(
        identity, invitations_app, pipeline, infra, topic_prefix, tenant, staff_headers):
    identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                  json={"code": "A1", "name": "Away 1", "receivable_account": "R1"})
    service = invitations_app.extensions["invitations"]
    projection, old = service.projections[0], serving_table(service)
    eventually(lambda: [r["code"] for r in snapshot(service.pool, tenant, old)] == ["A1"] or _fail())
    tables = copies(service, projection)

    def away_runner(copy, pool):
        return ConsumerRunner(copy, pool, KeyReleaseAway(),
                              lambda group: create_consumer(infra.kafka_bootstrap, group, f"test-{group}"),
                              partial(create_producer, infra.kafka_bootstrap, "test-rebuild-dlq"),
                              topic_prefix=topic_prefix, follow_registry=False)

    with pytest.raises(RebuildFailed, match="made no progress for 3 s: identity's key release is not answering"):
        rebuild(service.pool, projection, away_runner,
                lambda: topic_heads(infra.kafka_bootstrap, [topic_prefix + t for t in projection.topics]),
                stall_timeout=3)

    assert serving_table(service) == old
    assert [r["code"] for r in snapshot(service.pool, tenant, old)] == ["A1"]
    assert copies(service, projection) == tables  # the copy's table is gone


def test_a_rebuild_whose_forked_member_ends_gives_up_saying_so_and_the_live_table_keeps_serving(
        identity, invitations_app, pipeline, infra, topic_prefix, tenant, staff_headers):
    service = invitations_app.extensions["invitations"]
    projection, old = service.projections[0], serving_table(service)
    heads = partial(topic_heads, infra.kafka_bootstrap, [topic_prefix + t for t in projection.topics])
    codes = []
    while not codes or not any(end > first for tp, (first, end) in heads().items() if tp in shares(heads(), 2)[1]):
        codes.append(f"F{len(codes)}")  # until the forked member has events to read: it must be missed
        identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                      json={"code": codes[-1], "name": f"Forked {len(codes)}", "receivable_account": "R1"})
    eventually(lambda: [r["code"] for r in snapshot(service.pool, tenant, old)] == codes or _fail())
    tables, here = copies(service, projection), os.getpid()

    def runner_that_fails_in_a_fork(copy, pool):
        if os.getpid() != here:
            raise RuntimeError("this member cannot start")
        return service.consumer(copy, pool=pool, follow_registry=False)

    with pytest.raises(RebuildFailed, match="member 1 ended with exit code 1"):
        rebuild(service.pool, projection, runner_that_fails_in_a_fork, heads, processes=2)

    assert serving_table(service) == old
    assert [r["code"] for r in snapshot(service.pool, tenant, old)] == codes
    assert copies(service, projection) == tables


class Stuck:
    """A runner that reads nothing and says nothing went wrong: a member stuck as if on a lock."""

    def run(self, stop, partitions=None):
        stop.wait()


class Broken:
    """A runner whose loop ends at once with an error of its own."""

    def run(self, stop, partitions=None):
        raise RuntimeError("a bug in the runner")


@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")  # Broken's, on purpose
@pytest.mark.parametrize("runner, reason", [
    (Stuck, "made no progress for 2 s$"), (Broken, "member in this process ended")])
def test_a_rebuild_whose_member_is_stuck_or_gone_gives_up_and_the_live_table_keeps_serving(
        identity, invitations_app, pipeline, infra, topic_prefix, tenant, staff_headers, runner, reason):
    identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                  json={"code": "S1", "name": "Stuck 1", "receivable_account": "R1"})
    service = invitations_app.extensions["invitations"]
    projection, old = service.projections[0], serving_table(service)
    eventually(lambda: [r["code"] for r in snapshot(service.pool, tenant, old)] == ["S1"] or _fail())
    tables = copies(service, projection)

    with pytest.raises(RebuildFailed, match=reason):
        rebuild(service.pool, projection, lambda copy, pool: runner(),
                lambda: topic_heads(infra.kafka_bootstrap, [topic_prefix + t for t in projection.topics]),
                stall_timeout=2)

    assert serving_table(service) == old
    assert copies(service, projection) == tables


def copies(service, projection):
    with service.pool.connection() as conn:
        return {r["tablename"] for r in conn.execute("SELECT tablename FROM pg_tables WHERE tablename LIKE %s",
                                                     (f"{projection.table}%",))}


def _fail():
    raise AssertionError
