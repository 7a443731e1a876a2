"""`ops lag` sees a stopped consumer's backlog; `ops dead-letters retry` applies a dead letter once."""
from __future__ import annotations

import uuid

import pytest

from contracts.topics import IDENTITY, TOPICS
from eventkit.offsets import topic_heads

from ..conftest import eventually
from ..fixtures.identity import served
from .ops_fixtures import Running, ops_env, outbox_empty, recording_projection, run, run_json


@pytest.fixture
def env(infra, database, topic_prefix, identity_app):
    return ops_env(infra, database, topic_prefix, served(identity_app))


PARTITIONS = next(t.partitions for t in TOPICS if t.name == IDENTITY)


def a_consumer(invitations_app, broken=None, max_attempts=3):
    """A projection of its own in the invitations database, run as the worker would run it."""
    service = invitations_app.extensions["invitations"]
    suffix = uuid.uuid4().hex[:8]
    projection = recording_projection(f"test.recorder.{suffix}", [IDENTITY], f"recorded_{suffix}", broken)
    with service.pool.connection() as conn:
        conn.execute(projection.ddl())
    runner = service.consumer(projection, follow_registry=False)
    runner.max_attempts = max_attempts
    return service, projection, runner


def add_customers(identity, staff_headers, tenant, codes):
    for code in codes:
        created = identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                                json={"code": code, "name": f"Customer {code}", "receivable_account": "1"})
        assert created.status_code == 201, created.json


def backlog(env, name, since: dict[int, int] | None = None):
    """`ops lag`'s rows for one consumer: Kafka's view (its group) and the database's (its projection).

    With `since` (partition -> head when the consumer stopped), each row's lag must be what was written to
    its partition since: other tests' events land on the same topic meanwhile, so the count is not ours
    to choose, only that the report accounts for every record the consumer has not read."""
    report = run_json(env, "lag")
    groups = [r for r in report["consumer_groups"] if r["group"].endswith(name)]
    positions = [r for r in report["projections"] if r.get("projection") == name]
    for rows in (groups, positions):
        assert len(rows) == PARTITIONS, rows  # every partition of the topic, read from or not
        for row in rows:
            expected = 0 if since is None else row["head"] - since[row["partition"]]
            assert row["lag"] == expected, f"{row} should lag {expected}; groups {groups}, projections {positions}"
    return sum(r["lag"] for r in groups), sum(r["lag"] for r in positions)


def test_lag_reports_the_backlog_of_a_stopped_consumer(identity, identity_app, invitations_app, staff_headers,
                                                        pipeline, env, infra, topic_prefix, tenant):
    service, projection, runner = a_consumer(invitations_app)
    add_customers(identity, staff_headers, tenant, ["L0"])
    consumer = Running(runner)
    eventually(lambda: outbox_empty(identity_app.extensions["identity"]))
    eventually(lambda: backlog(env, projection.name), timeout=120)  # caught up
    consumer.halt()
    stopped_at = {partition: end for (_, partition), (_, end) in
                  topic_heads(infra.kafka_bootstrap, [topic_prefix + IDENTITY]).items()}

    add_customers(identity, staff_headers, tenant, ["L1", "L2", "L3"])
    eventually(lambda: outbox_empty(identity_app.extensions["identity"]))

    # The report reads Kafka and the databases afresh each time; a busy broker may answer a moment late.
    group, positions = eventually(lambda: backlog(env, projection.name, since=stopped_at), timeout=60)
    assert group == positions >= 3  # our three customers at least, unread
    table = run(env, "lag")
    assert projection.name in table and "Consumer groups" in table and "Projections" in table


def test_a_dead_letter_retried_after_the_fix_is_applied_once(identity, invitations_app, staff_headers, pipeline,
                                                              env, tenant):
    broken = {tenant}
    service, projection, runner = a_consumer(invitations_app, broken, max_attempts=1)
    consumer = Running(runner)
    try:
        add_customers(identity, staff_headers, tenant, ["D1"])

        def dead_lettered():
            # Other tests put invalid records on the topic too: this consumer dead-letters those as well.
            letters = [d for d in run_json(env, "dead-letters", "list")
                       if d["consumer"] == projection.name and d["tenant"] == tenant]
            assert len(letters) == 1
            return letters[0]

        letter = eventually(dead_lettered, timeout=120)
        assert letter["type"] == "portico.identity.customer.created" and "bug in the projection" in letter["error"]
        shown = run_json(env, "dead-letters", "show", letter["id"])
        assert shown["data"]["code"] == "D1" and shown["headers"]["dlq_consumer"] == projection.name

        broken.clear()  # the fix is deployed
        assert run(env, "dead-letters", "retry", letter["id"]).strip().endswith(": retried")
        eventually(lambda: recorded(service, projection, tenant) == 1 or _fail(), timeout=120)

        assert run(env, "dead-letters", "retry", letter["id"]).strip().endswith(": already retried")
        assert run(env, "dead-letters", "retry", "--all", "--consumer", projection.name, "--tenant", tenant) == (
            f"{letter['id']} {projection.name} portico.identity.customer.created: already retried\n")
        [listed] = [d for d in run_json(env, "dead-letters", "list") if d["id"] == letter["id"]]
        assert listed["retried"].endswith("by test-operator")
        add_customers(identity, staff_headers, tenant, ["D2"])  # the consumer has read past the retried record
        eventually(lambda: recorded(service, projection, tenant) == 2 or _fail(), timeout=120)
    finally:
        consumer.halt()


def recorded(service, projection, tenant):
    with service.pool.connection() as conn:
        return conn.execute(f"SELECT count(*) AS n FROM {projection.table} WHERE tenant_id = %s",
                            (tenant,)).fetchone()["n"]


def _fail():
    raise AssertionError
