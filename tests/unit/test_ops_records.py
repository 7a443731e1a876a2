"""The ops tool's reading of records: what an event is about, filters, time order, output lines."""
import json
from types import SimpleNamespace

import pytest

from ops.records import Filters, Record, in_time_order
from ops.render import event_json, event_line, table
from ops.settings import from_env

CID = "2f1c8f4e-0000-4000-8000-000000000001"


def record(type_="portico.identity.customer.created", subject=f"customer-{CID}", data=None, time="2026-11-28T10:00:00Z",
           tenant="demo", position="1", offset=0):
    headers = [("ce_type", type_), ("ce_subject", subject), ("ce_time", time), ("ce_tenantid", tenant),
               ("ce_position", position), ("ce_source", "/portico/identity")]
    raw = SimpleNamespace(topic="p.portico.identity", partition=2, offset=offset, key=subject.encode(),
                          headers=[(k, v.encode()) for k, v in headers], value=json.dumps(data or {}).encode())
    return Record.of(raw)


@pytest.mark.parametrize("filters, matches", [
    (Filters(), True),
    (Filters(types=("portico.identity.customer.*",)), True),
    (Filters(types=("portico.identity.user.*",)), False),
    (Filters(tenant="demo"), True),
    (Filters(tenant="other"), False),
    (Filters(customer=CID), True),
    (Filters(customer="someone-else"), False),
    (Filters(user="u-1"), False),
])
def test_filters(filters, matches):
    assert filters.match(record()) is matches


def test_an_event_is_about_a_user_named_in_its_data_even_on_another_stream():
    about = record(type_="portico.identity.user.created", subject="user-9", data={"user_id": "9", "customer_id": CID})
    assert Filters(user="9").match(about) and Filters(customer=CID).match(about)


def test_history_is_in_time_order_then_by_position():
    late, early, tie = record(time="2026-11-28T10:00:02Z"), record(time="2026-11-28T10:00:01Z"), record(
        time="2026-11-28T10:00:02Z", position="0")
    assert in_time_order([late, early, tie]) == [early, tie, late]


def test_event_output_names_the_topic_without_the_environment_prefix():
    r = record(data={"code": "A1"})
    line = json.loads(event_json(r, "portico.identity"))
    assert line["topic"] == "portico.identity" and line["type"].endswith("created") and line["data"] == {"code": "A1"}
    assert "portico.identity[2]@0" in event_line(r, "portico.identity")
    assert table([], ["a"]) == "  -"


def test_settings_come_from_the_portico_environment():
    s = from_env({"PORTICO_KAFKA_BOOTSTRAP": "k:1", "PORTICO_TOPIC_PREFIX": "x.", "PORTICO_SERVICES": "identity",
                  "PORTICO_PG_ADMIN_DSN": "postgresql://a:b@h:5/postgres"})
    assert s.bootstrap == "k:1" and s.topic("identity") == "x.portico.identity"
    assert s.databases["identity"].endswith("dbname=portico_identity") or "portico_identity" in s.databases["identity"]
    assert s.dead_letter_topic() == "x.portico.deadletter" and "x.portico.deadletter" not in s.event_topics()
