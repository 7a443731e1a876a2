"""Words a person reads on every page: dates, amounts, quantities and area names as people say them, never a
timestamp, a field name or a code (Jinja filters, registered once in app.py)."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from email.utils import parsedate_to_datetime

AREA_NAMES = {"quotes": "Quotes", "orders": "Orders", "invoices": "Invoices", "ar_statements": "A/R statements",
              "shipments": "Shipments"}


def _moment(value) -> datetime | None:
    """A moment, ISO 8601 or an HTTP date as the services answer; None for anything else."""
    text = str(value or "")
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError):
            return None


def when(value) -> str:
    """A moment as people read it: 28 Nov 2026, 16:47 UTC."""
    moment = _moment(value)
    if moment is None:
        return str(value or "")
    zone = " UTC" if moment.utcoffset() is not None and not moment.utcoffset() else ""
    return f"{moment.day} {moment:%b %Y, %H:%M}{zone}"


def machine_time(value) -> str:
    """A moment as <time datetime> takes it: to the second (HTML allows at most three digits of fraction)."""
    moment = _moment(value)
    return moment.isoformat(timespec="seconds") if moment else ""


def day(value) -> str:
    """A date (2026-03-01) as people read it: 1 Mar 2026."""
    try:
        moment = value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    except ValueError:
        return str(value or "")
    return f"{moment.day} {moment:%b %Y}"


def quantity(value) -> str:
    """500.000 -> 500, 2.50 -> 2.5; anything else as it came."""
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return str(value or "")
    return f"{number.normalize():f}" if number == number.to_integral() else f"{number.normalize()}"


def money(value, currency: str | None = None) -> str:
    """1234.5, EUR -> 1,234.50 EUR; empty when there is no amount."""
    if value is None or value == "":
        return ""
    try:
        text = f"{Decimal(str(value)):,.2f}"
    except (InvalidOperation, ValueError):
        text = str(value)
    return f"{text} {currency}" if currency else text


def field_name(path: str) -> str:
    """A field path as a person says it: lines.0.quantity -> line 1: quantity; item_code -> item code."""
    parts, said = str(path).split("."), []
    for part in parts:
        if part.isdigit() and said:
            said[-1] = f"{said[-1].rstrip('s')} {int(part) + 1}:"
        else:
            said.append(part.replace("_", " "))
    return " ".join(said)


def one_line(text) -> str:
    """Text for a one-line field (an <input> value may hold no line break): its line breaks become spaces."""
    return " ".join(str(text or "").splitlines())


def area_name(area: str) -> str:
    return AREA_NAMES.get(area, str(area).replace("_", " ").capitalize())


FILTERS = {"when": when, "machine_time": machine_time, "day": day, "quantity": quantity, "money": money,
           "area_name": area_name, "field_name": field_name, "one_line": one_line}
