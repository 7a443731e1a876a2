"""Text PostgreSQL cannot store, refused at the door.

A NUL character or a lone UTF-16 surrogate (JSON allows "\\u0000" and "\\ud800") is valid JSON and a
valid Python string, but PostgreSQL text refuses the one and UTF-8 the other; let through, either
turns a request into a 500 deep in a handler. Every string a request brings (path, query, JSON
body) is checked before any view runs.
"""
from __future__ import annotations

from typing import Any, Iterator


def _unstorable(text: str) -> str | None:
    if "\x00" in text:
        return "contains a NUL character, which cannot be stored"
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return "contains a lone surrogate, which is not valid Unicode text"
    return None


def problems(value: Any, field: str = "") -> Iterator[dict]:
    """One error per unstorable string in a JSON value, keys included: field, JSON pointer, detail."""
    if isinstance(value, str):
        reason = _unstorable(value)
        if reason:
            yield {"field": field or None, "pointer": "#/" + field.replace(".", "/") if field else "#",
                   "detail": reason}
    elif isinstance(value, dict):
        for key, item in value.items():
            name = f"{field}.{key}" if field else str(key)
            if _unstorable(str(key)):
                yield {"field": name, "pointer": "#/" + name.replace(".", "/"), "detail": _unstorable(str(key))}
            else:
                yield from problems(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from problems(item, f"{field}.{index}" if field else str(index))
