"""JSON responses are written by orjson as Flask's own provider writes them: keys sorted, dates as HTTP dates,
Decimals as strings, dataclasses as objects; non-ASCII text as UTF-8; what orjson refuses, by the standard library."""
import dataclasses
import json
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

import pytest
from flask import Flask, jsonify
from flask.json.provider import DefaultJSONProvider

from eventkit import json_responses


@dataclasses.dataclass
class Line:
    sku: str
    quantity: int


def _app(provider=None) -> Flask:
    app = Flask(__name__)
    if provider:
        app.json = provider(app)
    else:
        json_responses.init_app(app)
    return app


def _body(app: Flask, value) -> bytes:
    with app.app_context():
        return jsonify(value).get_data()


VALUE = {"zeta": 1, "alpha": {"b": [1.5, None, True], "a": "x"}, "id": uuid.UUID(int=7),
         "issued": date(2026, 12, 1), "at": datetime(2026, 12, 1, 9, 30, tzinfo=timezone.utc),
         "amount": Decimal("1200.50"), "line": Line("SKU-1", 3), "big": 2 ** 63 - 1}


def test_a_body_is_byte_for_byte_what_flasks_own_provider_writes():
    app = _app()

    assert isinstance(app.json, json_responses.OrjsonProvider)
    assert _body(app, VALUE) == _body(_app(DefaultJSONProvider), VALUE)


def test_floats_are_the_same_numbers_an_exponent_written_without_leading_zeros():
    floats = {"small": 1e-07, "large": 1e16, "plain": 0.1, "negative": -2.5}

    assert _body(_app(), floats) == b'{"large":1e+16,"negative":-2.5,"plain":0.1,"small":1e-7}\n'
    assert json.loads(_body(_app(), floats)) == json.loads(_body(_app(DefaultJSONProvider), floats))


def test_non_ascii_text_is_written_as_utf_8_not_escaped():
    body = _body(_app(), {"name": "Société Générale"})

    assert body == '{"name":"Société Générale"}\n'.encode()


@pytest.mark.parametrize("value", [{"n": 2 ** 70}, {1: "a key that is not a string"}])
def test_what_orjson_refuses_is_written_by_the_standard_library_as_before(value):
    assert _body(_app(), value) == _body(_app(DefaultJSONProvider), value)


def test_debug_mode_indents_as_flask_does():
    app, flask_own = _app(), _app(DefaultJSONProvider)
    app.debug = flask_own.debug = True

    assert _body(app, VALUE) == _body(flask_own, VALUE)
