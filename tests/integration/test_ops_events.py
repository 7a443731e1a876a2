"""`ops events tail` and `ops events history` against the real broker."""
from __future__ import annotations

import json
import threading

import pytest

from ops.events import tail
from ops.records import Filters
from ops.settings import from_env

from ..conftest import eventually
from ..fixtures.identity import served
from .ops_fixtures import ops_env, outbox_empty, run


@pytest.fixture
def env(infra, database, topic_prefix, identity_app):
    return ops_env(infra, database, topic_prefix, served(identity_app))


def test_tail_sees_an_event_appended_after_it_started(identity, identity_app, staff_headers, pipeline, env, tenant):
    settings, seen, ready = from_env(env), [], threading.Event()
    follower = threading.Thread(target=tail, daemon=True, kwargs=dict(
        settings=settings, topics=settings.event_topics(), filters=Filters(tenant=tenant), emit=seen.append,
        max_events=1, timeout=60, on_ready=ready.set))
    follower.start()
    assert ready.wait(30)

    created = identity.post(f"/v1/tenants/{tenant}/customers",
                            json={"code": "T1", "name": "Tailed Ltd", "receivable_account": "1"},
                            headers=staff_headers(tenant))
    assert created.status_code == 201, created.json
    follower.join(timeout=60)

    [record] = seen
    assert record.ce("type") == "portico.identity.customer.created" and record.ce("tenantid") == tenant
    assert record.data["customer_id"] == created.json["customer_id"]
    # The command line prints the same event as a JSON line, filtered by type and tenant.
    line = run(env, "--json", "events", "tail", "--from-beginning", "--tenant", tenant, "--max", "1",
               "--type", "portico.identity.customer.*", "--timeout", "30")
    assert json.loads(line)["data"]["code"] == "T1" and json.loads(line)["topic"] == "portico.identity"


def test_history_lists_one_customers_events_across_topics_in_time_order(identity, identity_app, staff_headers,
                                                                       pipeline, env, tenant):
    body, staff = {"name": "Historic Ltd", "receivable_account": "1"}, staff_headers(tenant)
    customer = identity.post(f"/v1/tenants/{tenant}/customers", json={"code": "H1", **body},
                             headers=staff).json["customer_id"]
    identity.post(f"/v1/tenants/{tenant}/customers", json={"code": "H2", **body}, headers=staff)
    identity.patch(f"/v1/tenants/{tenant}/customers/H1", json={"name": "Historic Group"}, headers=staff)
    identity.post(f"/v1/tenants/{tenant}/customers/H1/archive", json={}, headers=staff)
    eventually(lambda: outbox_empty(identity_app.extensions["identity"]))

    lines = run(env, "--json", "events", "history", "--customer", customer).splitlines()

    events = [json.loads(line) for line in lines]
    assert [e["type"].rsplit(".", 1)[1] for e in events] == ["created", "updated", "archived"]
    assert {e["subject"] for e in events} == {f"customer-{customer}"}
    pretty = run(env, "events", "history", "--customer", customer)
    assert "portico.identity.customer.archived" in pretty and "Historic Group" in pretty
