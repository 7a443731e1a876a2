"""Read-your-writes on the real broker: a command answers with the Portico-Position header, and a read
that passes it as `after` waits until its read model has the write, or answers 503 in time."""
from __future__ import annotations

import json
import time

import pytest

from eventkit.consistency import HEADER, decode

from .. import kafka_topic
from ..conftest import eventually

ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "emails": "ap@acme.example"}


def create_customer(identity, headers, tenant, code="ACME01", name="Acme Tools Ltd"):
    created = identity.post(f"/v1/tenants/{tenant}/customers", json={**ACME, "code": code, "name": name},
                            headers=headers)
    assert created.status_code == 201, created.json
    return created.headers[HEADER]


def record_partition(infra, topic: str, position: int) -> int:
    """The partition of the record with this ce_position, read from the broker."""
    def found() -> int:
        partitions = {r.partition for r in kafka_topic.records(infra.kafka_bootstrap, topic)
                      if dict(r.headers).get("ce_position") == str(position).encode()}
        assert len(partitions) == 1, f"position {position} on partitions {partitions} of {topic}"
        return partitions.pop()
    return eventually(found, timeout=30)


def test_a_command_answers_with_the_partition_its_event_was_published_on(
        identity, identity_loops, staff_headers, infra, topic_prefix, tenant):
    token = create_customer(identity, staff_headers(tenant), tenant)

    [mark] = decode(token)
    assert mark.topic == topic_prefix + "portico.identity"
    assert record_partition(infra, mark.topic, mark.position) == mark.partition


def test_a_command_that_changes_nothing_has_no_position(identity, staff_headers, tenant):
    headers = staff_headers(tenant)
    body = {k: v for k, v in ACME.items() if k != "code"}
    assert HEADER in identity.put(f"/v1/tenants/{tenant}/customers/ACME01", json=body, headers=headers).headers
    assert HEADER not in identity.put(f"/v1/tenants/{tenant}/customers/ACME01", json=body, headers=headers).headers


def test_the_candidates_read_waits_for_the_write_and_shows_it(
        identity, invitations, pipeline, staff_headers, tenant):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    token = create_customer(identity, staff_headers(tenant), tenant)

    page = invitations.get(f"/v1/tenants/{tenant}/candidates", query_string={"after": token})

    assert page.status_code == 200, page.json
    assert [c["code"] for c in page.json["items"]] == ["ACME01"]


def test_identity_s_customer_list_waits_for_the_write_and_shows_it(identity, pipeline, staff_headers, tenant):
    headers = staff_headers(tenant)
    first = create_customer(identity, headers, tenant, "ACME01")
    second = create_customer(identity, headers, tenant, "BETA02", "Beta Bolts")

    page = identity.get(f"/v1/tenants/{tenant}/customers", query_string={"after": f"{first},{second}"},
                        headers=headers)

    assert page.status_code == 200, page.json
    assert [c["code"] for c in page.json["items"]] == ["ACME01", "BETA02"]


@pytest.fixture
def short_wait(identity_app, invitations_app, monkeypatch):
    for app in (identity_app, invitations_app):
        monkeypatch.setitem(app.config, "READ_AFTER_TIMEOUT", 0.5)


def test_a_position_never_reached_gets_a_503_problem_in_time(
        identity, invitations, short_wait, staff_headers, topic_prefix, tenant):
    unreachable = f"{topic_prefix}portico.identity:0:999999999999"
    reads = [(invitations, f"/v1/tenants/{tenant}/candidates", staff_headers(tenant)),
             (identity, f"/v1/tenants/{tenant}/customers", staff_headers(tenant)),
             (identity, f"/v1/tenants/{tenant}/settings", staff_headers(tenant))]
    for client, path, headers in reads:
        started = time.monotonic()
        answer = client.get(path, query_string={"after": unreachable}, headers=headers)

        assert time.monotonic() - started >= 0.5  # it waited for the position, then gave up
        assert answer.status_code == 503 and answer.content_type == "application/problem+json"
        assert answer.json["code"] == "read.position_not_reached"
        assert answer.headers["Retry-After"] == "1"
        assert answer.json["behind"] == [unreachable]


def test_a_position_on_a_topic_the_read_model_does_not_read_does_not_wait(invitations, short_wait, tenant,
                                                                          staff_headers):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    answer = invitations.get(f"/v1/tenants/{tenant}/candidates",
                             query_string={"after": "portico.documents:0:999999999999"})
    assert answer.status_code == 200


def test_a_malformed_position_is_a_400_naming_after(invitations, tenant, staff_headers):
    invitations.environ_base["HTTP_AUTHORIZATION"] = staff_headers(tenant)["Authorization"]  # a staff user's list
    answer = invitations.get(f"/v1/tenants/{tenant}/candidates", query_string={"after": "42"})
    assert answer.status_code == 400
    assert [e["field"] for e in answer.json["errors"]] == ["after"]
    assert json.loads(answer.get_data())["code"] == "request.invalid"
