"""What a consumer makes of a poll's records before the database: skipped unparsed, work, or dead letters."""
from __future__ import annotations

import uuid
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from eventkit.batch import BatchApplier, offsets_of
from eventkit.cloudevents import to_record
from eventkit.envelope import StoredEvent
from eventkit.key_release import KeyReleaseUnavailable
from eventkit.projection import Projection, Statement

SEEN = Statement("INSERT INTO {table} (id) SELECT id FROM {rows}", columns={"id": "uuid"}, key=("id",))
HANDLED = "portico.identity.customer.archived"


def record(event_type=HANDLED, offset=0, value=None, event_id=None, headers=None):
    event = StoredEvent(offset + 1, "customer-1", "customer", 1, event_id or uuid.uuid4(), event_type, 1, "demo",
                        datetime(2026, 1, 1, tzinfo=timezone.utc), "staff", uuid.uuid4(), None, None, {"code": "A"})
    key, data, made = to_record(event)
    return SimpleNamespace(topic="t", partition=0, offset=offset, key=key, value=value if value is not None else data,
                           headers=made if headers is None else headers)


class Contracts:
    def __init__(self):
        self.read_count = 0

    def read(self, event):
        self.read_count += 1
        return event


def applier(*projections):
    letters, contracts = [], Contracts()
    batches = BatchApplier(projections, pool=None, contracts=contracts,
                           dead_letter=lambda r, name, error: letters.append((r.offset, name, str(error))))
    return batches, letters, contracts


def projection(name, reducer=lambda event: [SEEN.row(id=event.id)]):
    return Projection(name=name, topics=["t"], reducers={HANDLED: reducer}, table=name.replace(".", "_"))


def test_records_no_projection_handles_are_skipped_without_being_parsed():
    batches, letters, contracts = applier(projection("a.v1"))
    work = batches.prepare([record("portico.identity.user.password_set", value=b"\x00 not json")])
    assert work == [] and letters == [] and contracts.read_count == 0


def test_a_record_nested_100000_levels_deep_is_dead_lettered_for_each_projection_with_the_reason():
    batches, letters, _ = applier(projection("a.v1"), projection("b.v1"))
    deep = b'{"code":' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    assert batches.prepare([record(value=deep)]) == []
    assert [(o, n) for o, n, _ in letters] == [(0, "a.v1"), (0, "b.v1")]
    assert all("depth limit exceeded" in why for _, _, why in letters)


def test_a_record_without_a_type_is_dead_lettered_not_skipped():
    batches, letters, _ = applier(projection("a.v1"))
    assert batches.prepare([record(headers=[("ce_specversion", b"1.0")])]) == []
    assert letters[0][1] == "a.v1" and "missing CloudEvents attributes" in letters[0][2]


def test_a_reducer_that_fails_dead_letters_the_event_for_its_projection_alone():
    def broken(event):
        raise KeyError("customer_id")
    batches, letters, _ = applier(projection("a.v1", broken), projection("b.v1"))
    [work] = batches.prepare([record()])
    assert work.projection.name == "b.v1" and [(n, why) for _, n, why in letters] == [("a.v1", "'customer_id'")]


def test_one_event_delivered_twice_in_one_poll_is_work_once_and_each_record_is_read_once():
    same = uuid.uuid4()
    batches, _, contracts = applier(projection("a.v1"), projection("b.v1"))
    work = batches.prepare([record(event_id=same, offset=0), record(event_id=same, offset=1)])
    assert [(w.projection.name, w.record.offset) for w in work] == [("a.v1", 0), ("b.v1", 0)]
    assert contracts.read_count == 2  # once per record, not once per projection


def test_offsets_are_the_last_of_each_partition_with_the_highest_source_position():
    assert offsets_of([record(offset=4), record(offset=7), record(offset=5)]) == {("t", 0): (7, 8)}


def test_a_record_whose_keys_identity_cannot_release_now_is_read_again_not_dead_lettered():
    batches, letters, contracts = applier(projection("a.v1"))

    def identity_away(event):
        raise KeyReleaseUnavailable("identity's key release is not answering")
    contracts.read = identity_away
    with pytest.raises(KeyReleaseUnavailable):  # the consumer starts over from its stored offsets
        batches.prepare([record()])
    assert letters == []
