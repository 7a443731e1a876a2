"""Small request helpers shared by the documents API's blueprints."""
from __future__ import annotations

import re

from flask import request

from eventkit.problems import Problem

from ..domain.documents import KIND_OF_AREA

AREAS = "any(" + ", ".join(KIND_OF_AREA) + ")"  # the URL segment naming a kind: its area (quotes, orders...)
_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$")


def kind_of(area: str) -> str:
    return KIND_OF_AREA[area]


def document_number(number: str) -> str:
    """The ERP's document number from the URL, checked for shape."""
    if not _NUMBER.fullmatch(number):
        raise Problem(400, "request.invalid", "Invalid request", "Check these fields: number.",
                      [{"field": "number", "pointer": "#/number",
                        "detail": "1 to 50 letters, digits, '.', '_' or '-', starting with a letter or digit."}])
    return number


def json_body(optional: bool = False) -> dict:
    """The JSON object in the body, or a 400/415 problem that says what is wrong with it."""
    if optional and not request.get_data(cache=True):
        return {}
    if not request.is_json:
        raise Problem(415, "request.unsupported_media_type", "Send JSON",
                      "The body must be a JSON object with Content-Type: application/json.")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise Problem(400, "request.malformed", "Malformed JSON", "The body must be a JSON object.",
                      [{"field": None, "pointer": "#", "detail": "not a JSON object"}])
    return body
