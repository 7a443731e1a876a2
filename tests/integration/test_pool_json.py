"""A service's pool reads jsonb with orjson (eventkit/db.py) and loses nothing the standard library kept:
nesting, text in any script, floats, and numbers past 64 bits, which orjson alone reads as floats."""
import json

import pytest

from eventkit import db

VALUES = [
    {"lines": [{"sku": "A-1", "qty": 3, "unit_price": 12.5}], "notes": None, "paid": False},
    {"name": "Société Générale – 東京支店 🚚", "empty": {}, "list": []},
    {"balance": 123456789012345678901234567890, "tiny": -9223372036854775809},
    [1, "two", 3.25, None, True],
]


@pytest.fixture(scope="module")
def pool(database):
    pool = db.create_pool(database("pool_json"), max_size=2)
    yield pool
    pool.close()


@pytest.mark.parametrize("value", VALUES)
def test_jsonb_reads_back_as_it_was_written(pool, value):
    with pool.connection() as conn:
        row = conn.execute("SELECT %s::jsonb AS v", (json.dumps(value),)).fetchone()

    assert row["v"] == value


def test_read_json_keeps_every_digit_of_a_number_past_64_bits():
    assert db.read_json(b'{"a": [1, 2.5]}') == {"a": [1, 2.5]}
    assert db.read_json(b'{"n": 18446744073709551616}') == {"n": 18446744073709551616}
    assert db.read_json('{"n": -9223372036854775809}') == {"n": -9223372036854775809}
