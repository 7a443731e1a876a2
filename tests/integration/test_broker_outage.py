"""Commands keep succeeding while the broker is down; the relay publishes the backlog once after."""
from __future__ import annotations

import pytest

from ..conftest import eventually
from .test_relay_and_consumer import records_of

pytestmark = pytest.mark.fault


def test_what_was_written_while_the_broker_was_stopped_is_published_once_after(
        identity, invitations, pipeline, infra, topic_prefix, tenant, staff_headers):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    identity.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]
    infra.stop_kafka()
    try:
        written = [identity.post(f"/v1/tenants/{tenant}/customers",
                                 json={"code": f"C{n}", "name": f"Customer {n}", "receivable_account": f"R{n}"})
                   for n in range(5)]
        assert [r.status_code for r in written] == [201] * 5
    finally:
        infra.start_kafka()

    eventually(lambda: _codes(invitations, tenant) == [f"C{n}" for n in range(5)] or _fail(), timeout=90)
    streams = {f"customer-{r.json['customer_id']}".encode() for r in written}
    published = [r for r in records_of(infra, topic_prefix + "portico.identity") if r.key in streams]
    assert sorted(r.key for r in published) == sorted(streams)  # each exactly once


def _codes(client, tenant):
    return sorted(c["code"] for c in client.get(f"/v1/tenants/{tenant}/candidates").json["items"])


def _fail():
    raise AssertionError
