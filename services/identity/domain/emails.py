"""Customer e-mail addresses as accounting systems export them: several in one field, separated by ";"
(seed 000), each validated, compared without regard to case."""
from __future__ import annotations

from marshmallow import ValidationError, fields
from marshmallow.validate import Email

MAX_EMAILS = 10
_email = Email(error="{input} is not a valid e-mail address.")


class EmailList(fields.Field):
    """E-mail addresses as a JSON list or one string separated by ";" (as accounting systems export them)."""

    openapi = {"oneOf": [{"type": "array", "items": {"type": "string", "format": "email"}, "maxItems": MAX_EMAILS},
                         {"type": "string", "description": "addresses separated by ';'"}]}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            items = [part.strip() for part in value.split(";")]
            items = [i for i in items if i]
        elif isinstance(value, list) and all(isinstance(i, str) for i in value):
            items = [i.strip() for i in value if i.strip()]
        else:
            raise ValidationError("Give a list of e-mail addresses or one string separated by ';'.")
        if len(items) > MAX_EMAILS:
            raise ValidationError(f"At most {MAX_EMAILS} e-mail addresses.")
        errors = []
        for item in items:
            try:
                _email(item)
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return list(dict.fromkeys(i.lower() for i in items))

    def _serialize(self, value, attr, obj, **kwargs):
        return value


