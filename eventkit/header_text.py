"""Text that ends up in an e-mail header (a From name, a subject, a company or customer name): one line,
no control characters.

A CR or LF in such a value ends the header it is written into and starts another: a From name of
"Shop\\r\\nBcc : someone@else" adds a recipient and changes the envelope sender. So the APIs refuse
these characters where such text comes in (`OneLine`, a 400 naming the field), and whatever builds a
header passes the text through `one_line` all the same (a value stored before the check, a value that
came another way).
"""
from __future__ import annotations

import re

from marshmallow import ValidationError, validate

# C0 controls (CR, LF, tab, ...), DEL, C1 controls (NEL, ...), and Unicode's line and paragraph separators.
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def one_line(text: str) -> str:
    """The text as one header-safe line: each run of control characters and spaces becomes one space."""
    return " ".join(CONTROL.sub(" ", text).split())


class OneLine(validate.Validator):
    """A marshmallow validator: refuse text with line breaks, tabs or other control characters."""

    error = "Must be one line without line breaks, tabs or other control characters."

    def __call__(self, value):
        if isinstance(value, str) and CONTROL.search(value):
            raise ValidationError(self.error)
        return value
