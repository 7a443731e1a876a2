"""The AsyncAPI document and the events page are generated from the catalogue, committed up to date,
and valid against the official AsyncAPI 3.0.0 JSON Schema (from npm, fetched by install.sh)."""
import json
import os
from pathlib import Path

import jsonschema
import pytest

import contracts
from contracts import asyncapi, eventdocs
from contracts.examples import example_data, example_headers
from contracts.headers import headers_schema
from contracts.jsonschema import json_schema

CATALOGUE = contracts.catalogue()
NPM_TOOLS = Path(os.environ.get("PORTICO_CACHE", Path.home() / ".cache" / "portico")) / "npm"
ASYNCAPI_SCHEMA = NPM_TOOLS / "node_modules" / "@asyncapi" / "specs" / "schemas" / "3.0.0.json"


@pytest.fixture(scope="module")
def asyncapi_validator():
    if not ASYNCAPI_SCHEMA.exists():
        pytest.fail(f"{ASYNCAPI_SCHEMA} is missing: run deploy/local/install.sh (make install), "
                    "which installs @asyncapi/specs from the npm registry")
    schema = json.loads(ASYNCAPI_SCHEMA.read_text())
    return jsonschema.validators.validator_for(schema)(schema)


def test_the_committed_asyncapi_document_is_up_to_date():
    committed = json.loads(asyncapi.DOCUMENT.read_text())
    assert committed == asyncapi.document(CATALOGUE, contracts.TOPICS), "run `python -m contracts` and commit"


def test_the_committed_events_page_is_up_to_date():
    assert eventdocs.PAGE.read_text() == eventdocs.render(CATALOGUE), "run `python -m contracts` and commit"


def test_the_document_is_valid_asyncapi_3(asyncapi_validator):
    document = asyncapi.document(CATALOGUE, contracts.TOPICS)
    errors = [f"{list(e.absolute_path)}: {e.message[:200]}" for e in asyncapi_validator.iter_errors(document)]
    assert errors == []


def test_the_official_schema_catches_a_wrong_document(asyncapi_validator):
    document = asyncapi.document(CATALOGUE, contracts.TOPICS)
    next(iter(document["operations"].values()))["action"] = "publish"  # AsyncAPI 2's word, not 3's
    assert list(asyncapi_validator.iter_errors(document)) != []


def _resolve(document: dict, ref: str):
    node = document
    for part in ref.removeprefix("#/").split("/"):
        node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def test_every_reference_resolves_and_operations_send_their_channels_messages():
    document = asyncapi.document(CATALOGUE, contracts.TOPICS)
    text = json.dumps(document)
    refs = {part.split('"', 1)[0] for part in text.split('"$ref": "')[1:]}
    for ref in refs:
        _resolve(document, ref)
    for operation in document["operations"].values():
        channel = operation["channel"]["$ref"]
        assert all(m["$ref"].startswith(channel + "/messages/") for m in operation["messages"])


def test_every_event_version_is_a_message_with_headers_key_and_its_json_schema():
    document = asyncapi.document(CATALOGUE, contracts.TOPICS)
    for contract in CATALOGUE:
        channel = document["channels"][contract.topic]
        message = _resolve(document, channel["messages"][asyncapi.message_id(contract)]["$ref"])
        assert message["payload"]["schema"] == json_schema(contract)
        assert message["headers"]["allOf"][0] == {"$ref": asyncapi.HEADERS_REF}
        assert message["bindings"]["kafka"]["key"]["type"] == "string"
        assert channel["bindings"]["kafka"]["partitions"] >= 1


@pytest.mark.parametrize("contract", list(CATALOGUE), ids=lambda c: c.name)
def test_each_example_is_valid_data_with_valid_headers(contract):
    data = example_data(json_schema(contract))
    checker = jsonschema.FormatChecker()
    jsonschema.Draft202012Validator(json_schema(contract), format_checker=checker).validate(data)
    assert contract.schema().validate(data) == {}
    jsonschema.Draft202012Validator(headers_schema(), format_checker=checker).validate(
        example_headers(contract, data))
