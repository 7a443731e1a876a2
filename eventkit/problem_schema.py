"""The RFC 9457 problem body every Portico error has, as a JSON Schema for OpenAPI documents."""
from __future__ import annotations

from .problems import MEDIA_TYPE

_FIELD_ERROR = {
    "type": "object",
    "required": ["pointer", "detail"],
    "properties": {
        "field": {"type": ["string", "null"], "description": "The field, dotted for nested ones."},
        "pointer": {"type": "string", "description": "JSON Pointer to the field in the request body."},
        "detail": {"type": "string"},
    },
}
PROBLEM = {
    "type": "object",
    "description": "RFC 9457 problem details, with Portico's stable `code` and, for bad input, `errors`.",
    "required": ["type", "title", "status", "code"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "description": "urn:portico:problem:<code>"},
        "title": {"type": "string"},
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": {"type": "string", "description": "What happened and what to do about it."},
        "instance": {"type": "string", "format": "uri-reference"},
        "code": {"type": "string", "description": "Stable and grep-able across services, e.g. customer.not_found."},
        "errors": {"type": "array", "items": _FIELD_ERROR, "description": "One entry per invalid field."},
    },
    "additionalProperties": True,  # extension members, e.g. current_version on a 409
}
_MEANING = {
    400: "Invalid input: `errors` names each field",
    401: "No valid access token (WWW-Authenticate says why)",
    403: "Not allowed for this user",
    404: "No such tenant or resource",
    409: "Conflict: changed by someone else, or a duplicate",
    413: "Body too large",
    415: "The body must be JSON (Content-Type: application/json)",
    422: "Understood but refused by a business rule",
    423: "Locked",
    429: "Too many attempts; Retry-After says when to try again",
    503: "Not available now; Retry-After says when to try again",
    None: "Any other error, as a problem",
}


def response(status: int | None) -> dict:
    """The OpenAPI response object of a problem with this status (None: the default response)."""
    return {"description": _MEANING.get(status, "A problem"),
            "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
