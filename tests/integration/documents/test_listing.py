"""A portal user's document list: newest first, searched, filtered by area and status, paged."""
from __future__ import annotations

from tests.conftest import eventually

from .world import WAIT


def test_search_filter_and_paging_over_the_visible_documents_only(world):
    world.customer("ACME", "1200-ACME")
    alice = world.user("ACME", "alice")
    for day in range(1, 13):
        world.publish("invoice", f"INV-{day:02d}", "1200-ACME", issued_on=f"2026-01-{day:02d}")
    world.publish("shipment", "SH-1", "1200-ACME", tracking_numbers=["1Z999AA10123456784"])
    world.publish("quote", "Q-DRAFT", "1200-ACME", status="draft")
    world.publish("invoice", "INV-OTHER", "1300-GLOBEX")

    def page(**query):
        r = world.documents.get(f"{world.base}/documents", headers=world.token(alice), query_string=query)
        assert r.status_code == 200, r.json
        return r.json

    eventually(lambda: _assert_total(page(), 13), timeout=WAIT)
    first, last = page(area="invoices", page_size=5), page(area="invoices", page_size=5, page=3)
    assert [i["number"] for i in first["items"]] == ["INV-12", "INV-11", "INV-10", "INV-09", "INV-08"]
    assert [i["number"] for i in last["items"]] == ["INV-02", "INV-01"] and last["total"] == 12
    assert "lines" not in first["items"][0] and first["items"][0]["total"] == "29.75"
    assert [i["number"] for i in page(q="1z999aa")["items"]] == ["SH-1"]
    assert page(q="hex bolt")["total"] == 13
    assert page(q="INV-OTHER")["total"] == 0 and page(q="Q-DRAFT")["total"] == 0
    assert page(status="open", area="invoices")["total"] == 12


def test_a_bad_query_is_a_problem_naming_the_field(world):
    world.customer("ACME", "1200-ACME")
    alice = world.user("ACME", "alice")
    r = world.documents.get(f"{world.base}/documents", headers=world.token(alice),
                            query_string={"area": "contracts", "page_size": 1000, "sort": "total"})
    assert (r.status_code, r.json["code"]) == (400, "request.invalid")
    assert {e["field"] for e in r.json["errors"]} == {"area", "page_size", "sort"}


def _assert_total(page, total):
    assert page["total"] == total, page
