"""Personal fields in the contracts (issue 17): marked in the schemas, sealed for their person, opened with
the person's key, the marker once it is gone, and events written before sealing upcast unchanged."""
import json
import os
from collections import OrderedDict
import uuid
from datetime import datetime, timezone
from decimal import Decimal

import pytest

import contracts
from contracts.jsonschema import json_schema
from contracts.personal import FORGOTTEN, OpeningContracts, json_copy, open_data, personal_fields, seal_data
from eventkit.envelope import StoredEvent
from eventkit.personal import seal

CATALOGUE = contracts.catalogue()
KEY = os.urandom(32)
CONTACT = str(uuid.uuid4())
SUBJECT = f"contact-{CONTACT}"
V1 = {"customer_id": str(uuid.uuid4()), "code": "ACME", "contact_id": CONTACT, "first_name": "Ada",
      "last_name": "Lovelace", "email": "ada@acme.example", "phone": "+44 20 7946 0958", "title": "Buyer"}
ADDED = "portico.identity.customer.contact_added"


def stored(data, version=2, type_=ADDED):
    return StoredEvent(position=1, stream_id="customer-1", stream_type="customer", stream_version=1, id=uuid.uuid4(),
                       type=type_, version=version, tenant_id="demo", occurred_at=datetime.now(timezone.utc),
                       actor="staff-1", correlation_id=uuid.uuid4(), causation_id=None, traceparent=None, data=data)


def sealed_v1():
    return seal_data(V1, CATALOGUE.contract(ADDED, 2).schema, SUBJECT,
                     lambda subject, field, value: seal(KEY, "demo", subject, field, value))


@pytest.mark.parametrize("event_type, version, expected", [
    ("portico.identity.customer.created", 2, {"name", "emails", "phone", "billing_address", "shipping_address"}),
    ("portico.identity.customer.updated", 2, {"changes.name", "changes.emails", "changes.phone",
                                              "changes.billing_address", "changes.shipping_address"}),
    (ADDED, 2, {"first_name", "last_name", "email", "phone"}),
    ("portico.identity.user.registered", 2, {"first_name", "last_name", "emails"}),
    ("portico.identity.user.created", 2, {"emails"}),
    ("portico.identity.user.password_reset_requested", 2, {"emails"}),
    (ADDED, 1, set()),
])
def test_the_json_schema_marks_each_personal_field_and_its_sealed_encoding(event_type, version, expected):
    contract = CATALOGUE.contract(event_type, version)
    assert {".".join(path) for path, _ in personal_fields(contract.schema)} == expected
    schema = json_schema(contract)
    for path in expected:
        node = schema
        for step in path.split("."):
            node = node["properties"][step]
        assert node["x-portico-personal"] is True
        ciphertext = node["oneOf"][1]["properties"]["ciphertext"]
        assert ciphertext["contentEncoding"] == "base64"
        assert ciphertext["contentMediaType"] == "application/vnd.portico.sealed+json"


def test_a_sealed_event_holds_no_clear_value_and_is_valid_v2_data():
    data = sealed_v1()
    assert not {"Ada", "Lovelace", "ada@acme.example", "+44 20 7946 0958"} & set(map(str, data.values()))
    assert data["title"] == "Buyer" and data["email"]["subject"] == SUBJECT
    CATALOGUE.validate(ADDED, 2, data)


def test_opening_with_the_key_gives_the_clear_values_and_without_it_the_markers():
    schema = CATALOGUE.contract(ADDED, 2).schema
    assert open_data(sealed_v1(), schema, "demo", {SUBJECT: KEY}) == V1
    forgotten = open_data(sealed_v1(), schema, "demo", {SUBJECT: None})
    assert forgotten["first_name"] == forgotten["email"] == forgotten["phone"] == FORGOTTEN
    assert forgotten["title"] == "Buyer" and forgotten["contact_id"] == CONTACT


def test_a_forgotten_users_emails_open_to_none_to_write_to():
    schema = CATALOGUE.contract("portico.identity.user.created", 2).schema
    data = seal_data({"emails": ["ada@acme.example"]}, schema, "user-1", lambda s, f, v: seal(KEY, "demo", s, f, v))
    assert open_data(data, schema, "demo", {})["emails"] == []


def test_an_event_written_before_sealing_is_upcast_to_v2_unchanged():
    event = CATALOGUE.read(stored(dict(V1), version=1))
    assert event.version == 2 and event.data == V1


def test_a_consumer_reads_sealed_events_opened_and_asks_keys_only_for_sealed_ones():
    asked = []

    def keys(tenant, subjects):
        asked.append((tenant, list(subjects)))
        return {SUBJECT: KEY}

    reader = OpeningContracts(CATALOGUE, CATALOGUE, keys)
    assert reader.read(stored(sealed_v1())).data == V1
    assert reader.read(stored(dict(V1), version=1)).data == V1
    assert asked == [("demo", [SUBJECT])]


def test_a_polls_events_ask_for_keys_once_per_tenant_and_a_bad_one_is_its_error_in_its_place():
    other = f"contact-{uuid.uuid4()}"
    asked = []

    def keys(tenant, subjects):
        asked.append((tenant, list(subjects)))
        return {SUBJECT: KEY, other: KEY}

    def sealed_for(subject):
        return seal_data(V1, CATALOGUE.contract(ADDED, 2).schema, subject,
                         lambda subject, field, value: seal(KEY, "demo", subject, field, value))

    unreadable = stored({"code": "no such shape"})
    first, bad, second = OpeningContracts(CATALOGUE, CATALOGUE, keys).read_all(
        [stored(sealed_for(SUBJECT)), unreadable, stored(sealed_for(other))])

    assert first.data == V1 and second.data == V1 and isinstance(bad, Exception)
    assert asked == [("demo", sorted([SUBJECT, other]))]


def test_an_address_in_clear_is_a_clear_value_and_sealed_it_is_a_sealed_one():
    address = {"line1": "12 Analytical Row", "line2": None, "city": "London", "region": None, "postal_code": "N1",
               "country": "GB"}
    data = {"customer_id": str(uuid.uuid4()), "code": "ADA", "kind": "individual", "name": "Ada Lovelace",
            "receivable_account": "1200-ADA", "customer_type": None, "sales_rep": None, "price_list": None,
            "emails": ["ada@home.example"], "phone": None, "billing_address": address, "shipping_address": None}
    schema = CATALOGUE.contract("portico.identity.customer.imported", 2).schema
    CATALOGUE.validate("portico.identity.customer.imported", 2, data)
    sealed = seal_data(data, schema, "customer-" + data["customer_id"], lambda s, f, v: seal(KEY, "demo", s, f, v))
    CATALOGUE.validate("portico.identity.customer.imported", 2, sealed)
    assert "London" not in str(sealed) and sealed["phone"] is None
    assert open_data(sealed, schema, "demo", {sealed["name"]["subject"]: KEY}) == data


class Count(int):
    pass


class Code(str):
    pass


@pytest.mark.parametrize("value", [
    {"id": uuid.UUID(int=5), "at": datetime(2026, 1, 1, tzinfo=timezone.utc), "amount": Decimal("1.10"),
     "lines": [{"n": 1, "price": 2.5, "note": None, "sent": True}], "name": "Société"},
    {"n": 2 ** 70, "nested": {"n": -(2 ** 65)}},  # past 64 bits: orjson refuses it, every digit kept
    {"ordered": OrderedDict(b=1, a=[2]), "count": Count(3), "code": Code("C-1")},  # subclasses as their base
])
def test_sealing_and_opening_copy_data_as_a_json_round_trip_does(value):
    copied = json_copy(value)

    assert copied == json.loads(json.dumps(value, default=str))
    nested = next(v for v in value.values() if isinstance(v, (dict, list)))
    assert copied is not value and next(v for v in copied.values() if isinstance(v, (dict, list))) is not nested
