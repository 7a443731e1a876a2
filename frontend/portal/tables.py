"""What the portal shows of each kind of document, in people's words: the list's columns and the document
page's facts. Amounts are left out for a staff-kind user (the documents service redacts them too)."""
from __future__ import annotations

from dataclasses import dataclass

from .. import words


@dataclass(frozen=True)
class Column:
    label: str
    key: str
    shows: str = "text"  # text, day, money, status, list
    money: bool = False


def _money(label: str, key: str) -> Column:
    return Column(label, key, "money", money=True)


STATUS = Column("Status", "status", "status")
ISSUED = Column("Date", "issued_on", "day")
REFERENCE = Column("Your reference", "customer_reference")
LISTS = {
    "quotes": [ISSUED, STATUS, Column("Valid until", "valid_until", "day"), REFERENCE, _money("Total", "total")],
    "orders": [ISSUED, Column("Status", "customer_status", "status"), REFERENCE,
               Column("Promised for", "due_on", "day"), _money("Total", "total")],
    "invoices": [ISSUED, STATUS, Column("Due", "due_on", "day"), REFERENCE, _money("Total", "total"),
                 _money("Still to pay", "balance_due")],
    "ar_statements": [Column("Statement date", "issued_on", "day"), Column("From", "period_from", "day"),
                      _money("Balance", "closing_balance"), _money("Not yet due", "aging.current"),
                      _money("1–30 days", "aging.days_1_30"), _money("31–60 days", "aging.days_31_60"),
                      _money("61–90 days", "aging.days_61_90"), _money("Over 90 days", "aging.over_90")],
    "shipments": [Column("Shipped on", "issued_on", "day"), STATUS, Column("Order", "order_number"),
                  Column("Carrier", "carrier"), Column("Tracking", "tracking_numbers", "list")],
}
FACTS = [ISSUED, STATUS, Column("Status", "customer_status", "status"), REFERENCE,
         Column("Valid until", "valid_until", "day"), Column("Promised for", "due_on", "day"),
         Column("Order", "order_number"), Column("Orders", "order_numbers", "list"), Column("Carrier", "carrier"),
         Column("Tracking numbers", "tracking_numbers", "list"), Column("Period from", "period_from", "day"),
         _money("Subtotal", "subtotal"), _money("Tax", "tax"), _money("Total", "total"),
         _money("Paid so far", "amount_paid"), _money("Still to pay", "balance_due"),
         _money("Opening balance", "opening_balance"), _money("Closing balance", "closing_balance")]
AGING = [_money("Not yet due", "current"), _money("1–30 days overdue", "days_1_30"),
         _money("31–60 days overdue", "days_31_60"), _money("61–90 days overdue", "days_61_90"),
         _money("Over 90 days overdue", "over_90")]


def columns(area: str, user: dict | None) -> list[Column]:
    return [c for c in LISTS[area] if not (c.money and (user or {}).get("kind") == "staff")]


def value(document: dict, column: Column):
    found = document
    for part in column.key.split("."):
        found = found.get(part) if isinstance(found, dict) else None
    return found


def shown(document: dict, column: Column) -> str:
    """The column's value of one document as a person reads it; empty when there is none."""
    found = value(document, column)
    if found is None or found == "" or found == []:
        return ""
    if column.shows == "day":
        return words.day(found)
    if column.shows == "money":
        return words.money(found, document.get("currency"))
    if column.shows == "status":
        return str(found).replace("_", " ").capitalize()
    if column.shows == "list":
        return ", ".join(str(v) for v in found)
    return str(found)


def facts(document: dict) -> list[tuple[str, str]]:
    """(label, value) of each fact the document has and the reader may see."""
    return [(c.label, shown(document, c)) for c in FACTS if shown(document, c)]
