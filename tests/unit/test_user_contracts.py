"""User events: closed schemas that carry sealed link tokens and never a password."""
import uuid

import jsonschema
import pytest

import contracts
from contracts.identity_users import SET_PASSWORD_CONTEXT
from contracts.jsonschema import json_schema
from eventkit import sealed

KEYS = sealed.generate_key_pair()
CREATED = {"user_id": str(uuid.uuid4()), "username": "john.smith", "kind": "management",
           "customer_id": str(uuid.uuid4()), "customer_code": "ACME01", "contact_id": None,
           "receivable_account": "1200-ACME", "emails": ["john@acme.example"], "areas": ["quotes", "orders"],
           "own_orders_only": False, "welcome_email_requested": True, "password_setup": "link",
           "set_password_token": sealed.seal("t0ken", KEYS["public_key"], SET_PASSWORD_CONTEXT),
           "set_password_expires_at": "2026-01-02T03:04:05+00:00", "paired_with": None}


def validator(event_type):
    contract = contracts.catalogue().contract(event_type, 1)
    return contract, jsonschema.Draft202012Validator(json_schema(contract), format_checker=jsonschema.FormatChecker())


def test_a_user_created_event_validates_in_marshmallow_and_json_schema():
    contract, schema = validator("portico.identity.user.created")
    assert contract.schema().validate(CREATED) == {}
    assert list(schema.iter_errors(CREATED)) == []


@pytest.mark.parametrize("bad", [
    {**CREATED, "password": "Secret123!"},
    {**CREATED, "set_password_token": "t0ken"},  # a plain token is not a sealed value
    {**CREATED, "areas": ["all"]},  # "all" is expanded before any event is written
    {**CREATED, "kind": "admin"},
])
def test_secrets_in_plain_and_unknown_values_are_refused(bad):
    contract, schema = validator("portico.identity.user.created")
    assert contract.schema().validate(bad) != {}
    assert list(schema.iter_errors(bad)) != []


def test_every_user_event_is_keyed_by_the_user_stream_on_the_identity_topic():
    users = [c for c in contracts.catalogue() if ".user." in c.type or ".staff_user." in c.type]
    assert len(users) == 21  # three second-factor events (issue 19); three v2s that seal personal fields (issue 17)
    assert {c.key for c in users} == {"stream id: user-<user_id>"}
    assert {c.topic for c in users} == {"portico.identity"}
