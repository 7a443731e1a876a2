"""Applying a batch's rows in sets gives the same table as applying its events one by one.

For every projection of every service, hypothesis draws random sequences of the events it handles
(data made from each contract's JSON Schema, keys drawn from a few so that events of one batch touch
the same rows), applies them to one copy of the table one event at a time and to another in one
set-based batch, against the real database, and compares the two tables row for row.
"""
from __future__ import annotations

import copy
import uuid
from datetime import datetime, timedelta, timezone
from functools import lru_cache

import psycopg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from psycopg.rows import dict_row

import contracts
from contracts.examples import example_data
from contracts.jsonschema import json_schema
from documents.bootstrap import PROJECTIONS as DOCUMENTS
from eventkit.envelope import StoredEvent
from eventkit.forgetting import FORGOTTEN_EVENT
from eventkit.set_apply import execute, plan
from identity.bootstrap import PROJECTIONS as IDENTITY
from invitations.bootstrap import PROJECTIONS as INVITATIONS
from invitations.bootstrap import SCHEMA as INVITATIONS_SCHEMA
from notifications.bootstrap import PROJECTIONS as NOTIFICATIONS
from notifications.bootstrap import SCHEMA as NOTIFICATIONS_SCHEMA

PROJECTIONS = IDENTITY + INVITATIONS + NOTIFICATIONS + DOCUMENTS
CATALOGUE = contracts.catalogue()
KEYS = {name: [str(uuid.UUID(int=n * 1000 + i)) for i in (1, 2)]
        for n, name in enumerate(("customer_id", "user_id", "invitation_id", "document_id", "batch_id"), 1)}
CHOICES = {"token_hash": ["a" * 64, "b" * 64], "area": ["orders", "invoices", "quotes"],
           "source": ["invitation", "self"], "user_type": ["portal", "staff"], "subject_kind": ["customer", "user"],
           "subject_id": KEYS["customer_id"] + KEYS["user_id"]}
AT = datetime(2026, 1, 1, tzinfo=timezone.utc)


@lru_cache(maxsize=None)
def _example(event_type: str) -> dict:
    return example_data(json_schema(CATALOGUE.latest(event_type)), opened=True)  # as reducers see them


def _data(event_type: str, draw) -> dict:
    data = copy.deepcopy(_example(event_type))
    for name in list(data):
        if name in KEYS:
            data[name] = draw(st.sampled_from(KEYS[name]))
        elif name in CHOICES:
            data[name] = draw(st.sampled_from(CHOICES[name]))
        elif name == "changes" and isinstance(data[name], dict):
            data[name] = {k: v for k, v in data[name].items() if draw(st.booleans())}
    if "token_hash" in data and "invitation_id" in data:  # a link's token belongs to one invitation
        data["token_hash"] = (data["invitation_id"][-1] + data["token_hash"][0]) * 32
    if "document_id" in data and "number" in data:  # a document's id is its number's (documents/domain)
        data["number"] = f"N-{data['document_id'][-1]}"
    if isinstance(data.get("document"), dict):
        data["document"] = {**data["document"], "receivable_account": draw(st.sampled_from(["1200", "1300"]))}
    return data


@st.composite
def histories(draw, projection):
    # The history's forgotten event marks rows written under other keys (one per invitation): order within a batch
    # is kept per key only, so it is exact once the person's earlier events are applied, as it arrives (it follows
    # them by far); random orders of one batch would test what it does not promise.
    types = sorted(t for t in projection.reducers
                   if not (projection.name == "invitations.history.v1" and t == FORGOTTEN_EVENT))
    events = []
    for n in range(draw(st.integers(1, 25))):
        event_type = draw(st.sampled_from(types))
        events.append(StoredEvent(
            n + 1, "s-1", "s", n + 1, uuid.uuid4(), event_type, CATALOGUE.latest(event_type).version,
            draw(st.sampled_from(["t1", "t2"])), AT + timedelta(seconds=n), "staff:1", uuid.uuid4(), None, None,
            _data(event_type, draw)))
    return events


def _table(conn, table: str) -> list[dict]:
    rows = conn.execute(f"SELECT * FROM {table}").fetchall()
    return sorted((dict(r) for r in rows), key=repr)


@pytest.fixture(scope="module")
def conn(database):
    with psycopg.connect(database("set_apply"), row_factory=dict_row, autocommit=True) as connection:
        # A person's forgotten event also marks the services' own copies (the delivery log, invitation batches).
        for schema in (NOTIFICATIONS_SCHEMA, INVITATIONS_SCHEMA):
            connection.execute(schema.read_text())
        yield connection


@pytest.mark.parametrize("projection", PROJECTIONS, ids=lambda p: p.name)
def test_a_batch_applied_in_sets_equals_its_events_applied_one_by_one(conn, projection):
    # Made once, named for the projection (two services' tables may share a name): each example's rows roll back.
    one_by_one, in_sets = (f"{how}_{projection.name.replace('.', '_')}" for how in ("one", "set"))
    conn.execute(projection.ddl(one_by_one))
    conn.execute(projection.ddl(in_sets))

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(events=histories(projection))
    def check(events):
        with conn.transaction(force_rollback=True):
            for event in events:
                with conn.pipeline():
                    execute(conn, one_by_one, projection.rows_for(event))
            with conn.pipeline():
                execute(conn, in_sets, [row for event in events for row in projection.rows_for(event)])
            assert _table(conn, in_sets) == _table(conn, one_by_one)
    check()


def test_rows_of_one_key_fold_in_stream_order_and_others_share_a_statement():
    from identity.adapters.projections.customers import ADDED, CONTACTS, PROJECTION

    a, b = str(uuid.uuid4()), str(uuid.uuid4())

    def event(n, type_, customer, **data):
        return StoredEvent(n, f"customer-{customer}", "customer", n, uuid.uuid4(), f"portico.identity.customer.{type_}",
                           1, "t1", AT, "staff:1", uuid.uuid4(), None, None, {"customer_id": customer, **data})

    added = {"code": "A", "name": "A", "kind": "company", "receivable_account": "1"}
    events = [event(1, "created", a, **added), event(2, "contact_added", a), event(3, "created", b, **added),
              event(4, "contact_added", a), event(5, "contact_removed", b)]
    rounds, once = plan(row for e in events for row in PROJECTION.rows_for(e))
    assert [[(statement, [r["customer_id"] for r in rows]) for statement, rows in round_] for round_ in rounds] == [
        [(ADDED, [a, b])], [(CONTACTS, [a, b])]]
    assert [r["delta"] for r in rounds[1][0][1]] == [2, -1]  # a's two contacts fold into one +2, stamped by the later
    assert rounds[1][0][1][0]["version"] == 4 and once == []
