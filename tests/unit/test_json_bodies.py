"""The nesting check that runs before any service parses a JSON body: brackets in strings do not count."""
import pytest

from eventkit.json_bodies import nests_deeper_than


@pytest.mark.parametrize("body, limit, deeper", [
    (b'{"a": [1, {"b": 2}]}', 3, False),
    (b'{"a": [1, {"b": 2}]}', 2, True),
    (b'{"a": "[[[[[[[[[["}', 1, False),
    (b'{"a": "quote \\" [[[[ inside", "b": "back\\\\"}', 1, False),
    (b"[" * 32 + b"]" * 32, 32, False),
    (b"[" * 33 + b"]" * 33, 32, True),
    (b"[" * 100_000, 32, True),
    (b"", 32, False),
])
def test_nesting_is_counted_outside_strings(body, limit, deeper):
    assert nests_deeper_than(body, limit) is deeper


@pytest.mark.parametrize("body", [b"{not json", b'{"a": [1, 2}', b"]]]", b'{"a": "unterminated'])
def test_malformed_json_that_is_not_deep_is_left_to_the_parser(body):
    assert not nests_deeper_than(body, 32)
