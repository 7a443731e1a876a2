"""The AsyncAPI document and the events page are generated from the catalogue, committed up to date,
valid against the official AsyncAPI 3.0.0 JSON Schema, and clean as the AsyncAPI parser and Spectral
read it (all three from npm, fetched by install.sh)."""
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

import contracts
from contracts import asyncapi, eventdocs
from contracts.examples import example_data, example_headers
from contracts.headers import headers_schema
from contracts.jsonschema import json_schema
from eventkit.cloudevents import dataschema_uri

CATALOGUE = contracts.catalogue()
NPM_TOOLS = Path(os.environ.get("PORTICO_CACHE", Path.home() / ".cache" / "portico")) / "npm"
ASYNCAPI_SCHEMA = NPM_TOOLS / "node_modules" / "@asyncapi" / "specs" / "schemas" / "3.0.0.json"
SPECTRAL = NPM_TOOLS / "node_modules" / ".bin" / "spectral"
ROOT = Path(__file__).resolve().parents[2]
# Spectral's AsyncAPI rules this document does not meet, each with the reason. Nothing else may appear.
UNCLAIMED = {
    # The contact has a name but no url or e-mail: the project has no public address yet, and an
    # invented one would send readers nowhere. An operator publishing the document adds theirs.
    "asyncapi-info-contact-properties",
}


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
        assert message["payload"] == {k: v for k, v in json_schema(contract).items() if k != "$schema"}
        assert message["payload"]["$id"] == dataschema_uri(contract.type, contract.version)
        assert message["headers"]["type"] == "object"
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


def _npm_tool(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run deploy/local/install.sh (make install), which installs "
                    "deploy/npm/package-lock.json from the npm registry")
    return path


def _broken(tmp_path_factory, name: str, breaks) -> Path:
    """The generated document with one mistake made by breaks(its first message), in a file of its own."""
    document = asyncapi.document(CATALOGUE, contracts.TOPICS)
    breaks(next(iter(document["components"]["messages"].values())))
    path = tmp_path_factory.mktemp(name) / "asyncapi.json"
    path.write_text(json.dumps(document))
    return path


@pytest.fixture(scope="module")
def no_headers_type(tmp_path_factory) -> Path:
    return _broken(tmp_path_factory, "no-headers-type", lambda message: message["headers"].pop("type"))


@pytest.fixture(scope="module")
def payload_type_misspelt(tmp_path_factory) -> Path:
    return _broken(tmp_path_factory, "payload-type", lambda message: message["payload"].update(type="objekt"))


@pytest.fixture(scope="module")
def spectral(no_headers_type) -> dict[Path, list[dict]]:
    """What Spectral finds in the committed document and in the broken one: one run for both (a run
    costs seconds of node start), its findings told apart by their `source`."""
    documents = [asyncapi.DOCUMENT.resolve(), no_headers_type.resolve()]
    run = subprocess.run([str(_npm_tool(SPECTRAL)), "lint", "--ruleset", str(ROOT / ".spectral.yaml"),
                          "--format", "json", "--quiet", *map(str, documents)],
                         capture_output=True, text=True, timeout=300)
    assert run.stdout.strip(), run.stderr
    found = {document: [] for document in documents}
    for result in json.loads(run.stdout):
        found[Path(result["source"]).resolve()].append(result)
    return found


def test_spectral_finds_no_error_or_warning_beyond_those_listed_with_a_reason(spectral):
    found = spectral[asyncapi.DOCUMENT.resolve()]
    serious = sorted({f"{r['code']} at {'.'.join(map(str, r['path']))}: {r['message']}" for r in found
                      if r["severity"] <= 1 and r["code"] not in UNCLAIMED})
    assert serious == []
    # Spectral only validates payloads and examples it can parse; it says so at information level.
    assert not [r for r in found if r["code"] == "asyncapi-3-payload-unsupported-schemaFormat"]


def test_spectral_catches_a_headers_schema_that_is_not_an_object(spectral, no_headers_type):
    codes = {r["code"] for r in spectral[no_headers_type.resolve()] if r["severity"] == 0}
    assert "asyncapi-3-headers-schema-type-object" in codes


# Each document named on the command line, parsed in turn by one node process: one line of JSON each.
PARSE = """
const { Parser, fromFile } = require('@asyncapi/parser');
(async () => {
  for (const path of process.argv.slice(1)) {
    const { document, diagnostics } = await fromFile(new Parser(), path).parse();
    console.log(JSON.stringify({
      path,
      parsed: document !== undefined,
      errors: diagnostics.filter(d => d.severity === 0).map(d => d.code + ': ' + d.message),
      messages: document ? document.allMessages().length : 0,
      payloads: document ? document.allMessages().all().filter(m => m.payload() && String(m.payload().id()).startsWith('urn:portico:schema:')).length : 0,
    }));
  }
})();
"""


@pytest.fixture(scope="module")
def parsed(payload_type_misspelt) -> dict[str, dict]:
    """What the AsyncAPI parser makes of the committed document and of the broken one, by path."""
    _npm_tool(NPM_TOOLS / "node_modules" / "@asyncapi" / "parser")
    documents = [str(asyncapi.DOCUMENT), str(payload_type_misspelt)]
    run = subprocess.run(["node", "-e", PARSE, *documents], capture_output=True, text=True,
                         timeout=300, env={**os.environ, "NODE_PATH": str(NPM_TOOLS / "node_modules")})
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert [r["path"] for r in results] == documents, run.stderr
    return {r["path"]: r for r in results}


def test_the_asyncapi_parser_reads_every_message_and_its_payload_schema(parsed):
    result = parsed[str(asyncapi.DOCUMENT)]
    assert result["parsed"] and result["errors"] == []
    assert result["messages"] == len(list(CATALOGUE)) + 1  # every event version and the dead letter
    assert result["payloads"] == len(list(CATALOGUE))  # each payload schema read, its $id the dataschema


def test_the_asyncapi_parser_validates_the_payload_schemas(parsed, payload_type_misspelt):
    assert parsed[str(payload_type_misspelt)]["errors"] != []
