"""Strings PostgreSQL cannot store are named by their field before any handler sees them."""
from eventkit.storable_text import problems


def test_nul_and_lone_surrogates_are_named_by_field_and_pointer():
    body = {"username": "ada\x00", "emails": ["ok@x.example", "bad\ud800@x.example"], "name": "Ada Lovelace",
            "address": {"city": "Zürich ✓"}}
    assert [(e["field"], e["pointer"]) for e in problems(body)] == [("username", "#/username"),
                                                                  ("emails.1", "#/emails/1")]


def test_ordinary_unicode_passes():
    assert list(problems({"name": "Zoë 山田 🚚", "n": 3, "none": None})) == []


def test_a_bad_key_is_named_too():
    assert [e["field"] for e in problems({"a\x00b": 1})] == ["a\x00b"]
