"""The portal's words: dates, amounts, quantities, field paths and areas as people say them, and the columns
each kind of document shows (no amounts for a staff-kind user, no A/R menu it cannot open)."""
import pytest

from frontend import words
from frontend.portal import tables
from frontend.portal.documents import areas_of
from tests.documents_samples import content


@pytest.mark.parametrize("value, said", [
    ("2026-11-28T16:47:03+00:00", "28 Nov 2026, 16:47 UTC"), ("Sat, 28 Nov 2026 16:47:03 GMT", "28 Nov 2026, 16:47 UTC"),
    ("not a date", "not a date"), (None, "")])
def test_moments_read_as_people_read_them(value, said):
    assert words.when(value) == said


def test_dates_quantities_amounts_and_field_paths_in_words():
    assert words.day("2026-03-01") == "1 Mar 2026"
    assert (words.quantity("500.000"), words.quantity("2.50"), words.quantity("12")) == ("500", "2.5", "12")
    assert words.money("1234.5", "EUR") == "1,234.50 EUR" and words.money(None) == ""
    assert words.field_name("lines.0.quantity") == "line 1: quantity"
    assert words.field_name("business_name") == "business name"
    assert words.area_name("ar_statements") == "A/R statements"


def test_an_order_shows_the_status_customers_see_and_a_statement_its_aging():
    order = {"number": "SO-1", **content("order")}
    statuses = [tables.shown(order, c) for c in tables.columns("orders", {"kind": "management"}) if c.label == "Status"]
    assert statuses == ["Processing"]
    statement = {"number": "ST-1", **content("ar_statement")}
    row = {c.label: tables.shown(statement, c) for c in tables.columns("ar_statements", {"kind": "management"})}
    assert (row["Balance"], row["1–30 days"], row["Statement date"]) == ("129.75 EUR", "100.00 EUR", "20 Jan 2026")


def test_a_shipment_shows_carrier_and_tracking_and_a_staff_kind_user_no_amounts():
    shipment = {"number": "SH-1", **content("shipment")}
    row = {c.label: tables.shown(shipment, c) for c in tables.columns("shipments", None)}
    assert (row["Carrier"], row["Tracking"], row["Status"]) == ("DHL", "JD0146000", "Shipped")
    assert not [c for c in tables.columns("invoices", {"kind": "staff"}) if c.money]
    assert [c.label for c in tables.columns("invoices", {"kind": "management"}) if c.money] == ["Total", "Still to pay"]


def test_a_staff_kind_user_has_no_a_r_statements_menu_even_holding_the_area():
    held = ["invoices", "ar_statements", "quotes"]
    assert list(areas_of({"kind": "staff", "areas": held})) == ["quotes", "invoices"]
    assert list(areas_of({"kind": "management", "areas": held})) == ["quotes", "invoices", "ar_statements"]
    assert areas_of(None) == {}
