"""E-mail addresses as Portico takes them: valid, and in ASCII.

The published JSON Schemas say `format: email`, which is RFC 5321's mailbox: ASCII. marshmallow's
Email field also takes `jöhn@...` (RFC 6531), so an API once stored such an address, its event broke
the schema it was published under, and every consumer that validates by the schema dead-lettered it.
One rule, then, at every door and in every contract: an address in ASCII, or a 400 naming the field.
(Sending such an address needs SMTPUTF8 from every server on its way; the notifications sender still
handles one stored before this rule, and fails it cleanly where the server cannot.)
"""
from __future__ import annotations

from marshmallow import ValidationError, fields, validate

ASCII_ONLY = "Use an address without accented or other non-ASCII letters: not every mail server can deliver to it."


class _AsciiOnly(validate.Validator):
    """Printable ASCII only. Not a validate.Regexp: that would add a `pattern` to the published schemas,
    whose `format: email` already says as much."""

    def __call__(self, value):
        if isinstance(value, str) and not (value.isascii() and value.isprintable()):
            raise ValidationError(ASCII_ONLY)
        return value


ASCII_ADDRESS = _AsciiOnly()


class EmailAddress(fields.Email):
    """An e-mail address in ASCII (JSON Schema `format: email`)."""

    default_error_messages = {"invalid": "Not a valid e-mail address."}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.insert(0, ASCII_ADDRESS)
