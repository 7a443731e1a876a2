"""Patterns that must match a whole value, in every schema and path check of every service.

Python's `$` also matches just before a final line break, so `^[a-z0-9-]+$` let `red\n` through as a
tenant beside `red`, and `INV-NL\n` as a second document (issue 14). Patterns keep their `^...$` text,
which JSON Schema and OpenAPI (ECMA-262, where `$` has no such exception) publish as they are, and are
checked with `fullmatch`.
"""
from __future__ import annotations

from marshmallow import ValidationError, validate


class FullMatch(validate.Regexp):
    """marshmallow's Regexp, matching the whole value (re.fullmatch), not a prefix up to a line break."""

    def __call__(self, value: str) -> str:
        if self.regex.fullmatch(value) is None:
            raise ValidationError(self._format_error(value))
        return value
