"""The compatibility check fails when a published event version would break a consumer, and lets
wording changes and new versions through. The fixture catalogue publishes one event, then changes it."""
import json

import pytest
from marshmallow import fields, validate

import contracts
from contracts.catalogue import Catalogue, EventContract
from contracts.compatibility import check
from contracts.fields import StrictSchema
from contracts.jsonschema import json_schema, schema_file

KINDS = ("company", "individual")


class Opened(StrictSchema):
    account_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    note = fields.String(load_default=None, allow_none=True)


def opened(schema=Opened, version=1, description="An account was opened.") -> EventContract:
    return EventContract(type="portico.test.account.opened", version=version, owner="test",
                         topic="portico.test", key="stream id: account-<account_id>", schema=schema,
                         description=description)


@pytest.fixture
def published(tmp_path):
    """The record: v1 of the fixture event as it was published."""
    contract = opened()
    (tmp_path / schema_file(contract).name).write_text(json.dumps(json_schema(contract)))
    return tmp_path


def reasons(directory, *contracts_now) -> list[str]:
    return [b.reason for b in check(Catalogue(contracts_now), directory)]


class FieldRemoved(StrictSchema):
    account_id = fields.UUID(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(KINDS))
    note = fields.String(load_default=None, allow_none=True)


class KindRetyped(Opened):
    kind = fields.Integer(required=True)


class NoteRequired(Opened):
    note = fields.String(required=True, allow_none=True)


class KindNarrowed(Opened):
    kind = fields.String(required=True, validate=validate.OneOf(["company"]))


class FieldAdded(Opened):
    phone = fields.String(load_default=None, allow_none=True)


BREAKING = [
    (FieldRemoved, "field `name` removed"),
    (KindRetyped, "type of `kind` changed from string to integer"),
    (NoteRequired, "field `note` newly required"),
    (KindNarrowed, "enum of `kind` narrowed: ['individual'] no longer allowed"),
    (FieldAdded, "field `phone` added"),
]


@pytest.mark.parametrize("schema,reason", BREAKING, ids=[b[0].__name__ for b in BREAKING])
def test_a_breaking_change_to_a_published_version_fails_the_check(published, schema, reason):
    found = reasons(published, opened(schema))
    assert any(r.startswith(reason) for r in found), found


def test_tightening_additional_properties_fails_the_check(tmp_path):
    open_schema = {**json_schema(opened()), "additionalProperties": True}
    (tmp_path / "portico.test.account.opened.v1.json").write_text(json.dumps(open_schema))
    assert reasons(tmp_path, opened()) == ["additionalProperties of the data tightened"]


def test_removing_a_published_version_fails_the_check(published):
    assert reasons(published, opened(Opened, version=2))[0].startswith("published version removed")


def test_rewording_and_adding_a_new_version_pass_the_check(published):
    reworded = opened(description="An account was opened for a customer.")
    version_2 = opened(FieldRemoved, version=2)
    assert reasons(published, reworded, version_2) == []


def test_the_real_catalogue_breaks_no_published_event():
    assert [str(b) for b in check(contracts.catalogue())] == []
