"""The published JSON Schemas are generated from the contracts and agree with them."""
import json
import uuid

import jsonschema
import pytest

import contracts
from contracts.jsonschema import json_schema, schema_file

CATALOGUE = list(contracts.catalogue())
CREATED = {"customer_id": str(uuid.uuid4()), "code": "A1", "kind": "company", "name": "Acme",
           "receivable_account": "1200", "customer_type": None, "sales_rep": None, "price_list": None,
           "emails": ["ap@acme.example"], "phone": None, "billing_address": None, "shipping_address": None}


@pytest.mark.parametrize("contract", CATALOGUE, ids=lambda c: c.name)
def test_the_committed_schema_file_is_up_to_date(contract):
    committed = json.loads(schema_file(contract).read_text())
    assert committed == json_schema(contract), "run `python -m contracts.jsonschema` and commit the result"


@pytest.mark.parametrize("contract", CATALOGUE, ids=lambda c: c.name)
def test_every_schema_is_valid_json_schema_2020_12(contract):
    jsonschema.Draft202012Validator.check_schema(json_schema(contract))


def test_json_schema_and_marshmallow_agree_on_a_valid_and_an_invalid_event():
    catalogue = contracts.catalogue()
    contract = catalogue.contract("portico.identity.customer.created", 1)
    validator = jsonschema.Draft202012Validator(json_schema(contract), format_checker=jsonschema.FormatChecker())

    assert contract.schema().validate(CREATED) == {}
    assert list(validator.iter_errors(CREATED)) == []
    for bad in ({**CREATED, "surprise": 1}, {**CREATED, "kind": "robot"}, {k: v for k, v in CREATED.items() if k != "code"}):
        assert contract.schema().validate(bad) != {}
        assert list(validator.iter_errors(bad)) != []


def test_every_event_is_routed_to_a_declared_topic():
    declared = {t.name for t in contracts.TOPICS}
    assert all(c.topic in declared for c in CATALOGUE)


def test_a_contract_refuses_an_address_its_json_schema_would_refuse():
    """marshmallow's Email takes jöhn@...; the published schemas' `format: email` does not."""
    from eventkit.addresses import EmailAddress

    from marshmallow import Schema, ValidationError

    class Body(Schema):
        email = EmailAddress()

    assert Body().load({"email": "john@example.com"}) == {"email": "john@example.com"}
    try:
        Body().load({"email": "jöhn@example.com"})
    except ValidationError as error:
        assert "non-ASCII" in error.messages["email"][0]
    else:
        raise AssertionError("jöhn@example.com was accepted")
