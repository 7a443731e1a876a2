"""JSON responses are written by orjson as Flask's own provider writes them: keys sorted, dates as HTTP dates,
Decimals as strings, dataclasses as objects; non-ASCII text as UTF-8; what orjson refuses, by the standard library."""
import dataclasses
import json
import uuid
from datetime import date, datetime, timezone
from decimal import Decimal

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
    assert _body(_app(), VALUE) == _body(_app(DefaultJSONProvider), VALUE)


def test_non_ascii_text_is_written_as_utf_8_not_escaped():
    body = _body(_app(), {"name": "Société Générale"})

    assert body == '{"name":"Société Générale"}\n'.encode()


def test_an_integer_past_64_bits_keeps_every_digit():
    body = _body(_app(), {"n": 2 ** 70})

    assert json.loads(body) == {"n": 2 ** 70}
