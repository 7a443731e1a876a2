"""An upload's request body in the OpenAPI document is one form a client can send: its options and its files."""
from __future__ import annotations

import jsonschema
import pytest
from flask import Flask
from marshmallow import RAISE, Schema, fields

from eventkit import openapi
from eventkit.openapi import documented


class Options(Schema):
    class Meta:
        unknown = RAISE

    dry_run = fields.Boolean(load_default=False)
    note = fields.String(required=True)


@pytest.fixture(scope="module")
def form() -> dict:
    app = Flask(__name__)

    @app.post("/uploads")
    @documented(body=Options, files={"file": "The file.", "signature": "Its signature."}, status=202)
    def upload():
        """Upload a file."""

    document = openapi.build(app, "test", "1")
    body = document["paths"]["/uploads"]["post"]["requestBody"]
    assert list(body["content"]) == ["multipart/form-data"]
    return body["content"]["multipart/form-data"]["schema"]


def _valid(schema: dict, body: dict) -> bool:
    return jsonschema.Draft202012Validator(schema).is_valid(body)


def test_a_form_with_its_files_and_options_satisfies_the_document(form):
    assert _valid(form, {"file": "a,b", "signature": "x", "note": "n", "dry_run": True})
    assert form["properties"]["file"] == {"type": "string", "contentMediaType": "application/octet-stream",
                                          "description": "The file."}


def test_each_file_and_each_required_option_is_required(form):
    assert form["required"] == ["file", "note", "signature"]
    assert not _valid(form, {"note": "n", "signature": "x"})
    assert not _valid(form, {"file": "a,b", "signature": "x"})


def test_a_part_the_view_refuses_is_refused_by_the_document_too(form):
    assert form["additionalProperties"] is False
    assert not _valid(form, {"file": "a,b", "signature": "x", "note": "n", "colour": "red"})
