"""One row of a customer import file (docs/import-format.md): which columns exist, what makes a row valid.

A row is a company, an individual account or a contact (the `record_type` column). Columns left out of
the file are left alone on customers that exist; an empty cell clears the field.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from contracts.fields import Address
from eventkit.header_text import OneLine

from .emails import EmailList

RECORD_TYPES = ("company", "individual", "contact")
ADDRESS_PARTS = ("line1", "line2", "city", "region", "postal_code", "country")
ADDRESSES = ("billing", "shipping")
KEY_COLUMNS = ("record_type", "customer_code")
CUSTOMER_COLUMNS = ("name", "receivable_account", "customer_type", "sales_rep", "price_list", "emails", "phone",
                    *(f"{a}_{p}" for a in ADDRESSES for p in ADDRESS_PARTS))
CONTACT_COLUMNS = ("first_name", "last_name", "email", "phone", "title")
COLUMNS = tuple(dict.fromkeys(KEY_COLUMNS + CUSTOMER_COLUMNS + CONTACT_COLUMNS))


@dataclass(frozen=True)
class RowProblem:
    row: int
    column: str | None
    message: str


@dataclass(frozen=True)
class ImportRow:
    number: int
    record_type: str
    customer_code: str
    fields: dict[str, Any] = field(default_factory=dict)  # only the columns the file has

    @property
    def is_contact(self) -> bool:
        return self.record_type == "contact"


def _text(max_length: int, required: bool = False):
    if required:
        return fields.String(required=True, validate=validate.Length(min=1, max=max_length),
                             error_messages={"null": "Required for this row.", "required": "Required for this row."})
    return fields.String(allow_none=True, validate=validate.Length(max=max_length))


class _CustomerRow(Schema):
    class Meta:
        unknown = RAISE

    name = fields.String(required=True, validate=[validate.Length(min=1, max=200), OneLine()],  # e-mail subjects
                         error_messages={"null": "Required for this row.", "required": "Required for this row."})
    receivable_account = _text(50, required=True)
    customer_type, sales_rep, price_list, phone = _text(50), _text(50), _text(50), _text(50)
    emails = EmailList(allow_none=True)
    billing_address = fields.Nested(Address, allow_none=True)
    shipping_address = fields.Nested(Address, allow_none=True)


class _ContactRow(Schema):
    class Meta:
        unknown = RAISE

    first_name, last_name = _text(100, required=True), _text(100, required=True)
    email = fields.Email(required=True, error_messages={"invalid": "Not a valid e-mail address.",
                                                        "null": "Required for this row.",
                                                        "required": "Required for this row."})
    phone, title = _text(50), _text(100)


# Built once: a marshmallow schema costs more to build than to load a row with.
_CUSTOMER_ROW, _CONTACT_ROW = _CustomerRow(), _ContactRow()


def check_header(header: list[str]) -> list[RowProblem]:
    """Problems with the header row: unknown, repeated or missing columns."""
    problems = [RowProblem(1, name or None, f"Unknown column {name!r}; the columns are: {', '.join(COLUMNS)}.")
                for name in header if name not in COLUMNS]
    problems += [RowProblem(1, name, "This column appears more than once.")
                 for name in sorted({n for n in header if header.count(n) > 1})]
    problems += [RowProblem(1, name, "This column is required.") for name in KEY_COLUMNS if name not in header]
    return problems


def read_row(number: int, cells: dict[str, str | None]) -> tuple[ImportRow | None, list[RowProblem]]:
    """Validate one row's cells (text or None, keyed by column); the row, or the problems that stop it."""
    record_type, code = cells.get("record_type"), cells.get("customer_code")
    if record_type not in RECORD_TYPES:
        return None, [RowProblem(number, "record_type", f"Give one of {', '.join(RECORD_TYPES)}.")]
    problems = [] if code else [RowProblem(number, "customer_code", "Give the customer's accounting code.")]
    if code and len(code) > 50:
        problems.append(RowProblem(number, "customer_code", "At most 50 characters."))
    contact = record_type == "contact"
    own = CONTACT_COLUMNS if contact else CUSTOMER_COLUMNS
    others = "company and individual" if contact else "contact"
    problems += [RowProblem(number, c, f"Only for {others} rows; leave it empty.")
                 for c, v in cells.items() if v is not None and c not in own and c not in KEY_COLUMNS]
    body = {c: v for c, v in cells.items() if c in own}
    if not contact:
        body = _with_addresses(body)
    try:
        loaded = (_CONTACT_ROW if contact else _CUSTOMER_ROW).load(body)
    except ValidationError as error:
        problems += _problems(number, error.messages)
        loaded = {}
    if problems:
        return None, problems
    if contact:
        loaded["email"] = loaded["email"].lower()
    else:
        loaded["kind"] = record_type
        if "emails" in loaded and loaded["emails"] is None:
            loaded["emails"] = []
    return ImportRow(number, record_type, code, loaded), []


def _with_addresses(body: dict) -> dict:
    """Fold billing_* and shipping_* columns into address objects; all cells empty means no address."""
    for address in ADDRESSES:
        parts = {p: body.pop(f"{address}_{p}") for p in ADDRESS_PARTS if f"{address}_{p}" in body}
        if parts:
            present = {p: v for p, v in parts.items() if v is not None}
            body[f"{address}_address"] = present or None
    return body


def _problems(number: int, messages: dict, prefix: str = "") -> list[RowProblem]:
    problems = []
    for key, value in messages.items():
        if isinstance(value, dict):
            problems += _problems(number, value, f"{key.removesuffix('_address')}_")
        else:
            column = f"{prefix}{key}" if isinstance(key, str) else prefix.rstrip("_")
            text = " ".join(value) if isinstance(value, list) and all(isinstance(v, str) for v in value) else str(value)
            problems.append(RowProblem(number, column, text))
    return problems
