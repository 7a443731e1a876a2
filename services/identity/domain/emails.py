"""Customer e-mail addresses as accounting systems export them: several in one field, separated by ";"
(seed 000), each validated, compared without regard to case."""
from __future__ import annotations

from marshmallow import ValidationError, fields
from marshmallow.validate import Email

from eventkit.addresses import ASCII_ADDRESS

MAX_EMAILS = 10
_email = Email(error="{input} is not a valid e-mail address.")


class EmailList(fields.Field):
    """E-mail addresses as a JSON list or one string separated by ";" (as accounting systems export them)."""

    openapi = {"oneOf": [{"type": "array", "items": {"type": "string", "format": "email"}, "maxItems": MAX_EMAILS},
                         {"type": "string", "description": "addresses separated by ';'"}]}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            # An export's empty parts ("a@x.com;;b@y.com;") are no addresses; skip them.
            items = {n: part.strip() for n, part in enumerate(value.split(";")) if part.strip()}
        elif isinstance(value, list) and all(isinstance(i, str) for i in value):
            # In a JSON list each item is meant as an address: an empty one is an error, named by its index.
            items = {n: item.strip() for n, item in enumerate(value)}
        else:
            raise ValidationError("Give a list of e-mail addresses or one string separated by ';'.")
        if len(items) > MAX_EMAILS:
            raise ValidationError(f"At most {MAX_EMAILS} e-mail addresses.")
        errors = {}
        for n, item in items.items():
            try:
                _email(item)
                ASCII_ADDRESS(item)
            except ValidationError as error:
                errors[n] = error.messages if item else ["An empty e-mail address."]
        if errors and isinstance(value, list):
            raise ValidationError(errors)
        if errors:
            raise ValidationError([m for messages in errors.values() for m in messages])
        return list(dict.fromkeys(i.lower() for i in items.values()))

    def _serialize(self, value, attr, obj, **kwargs):
        return value


