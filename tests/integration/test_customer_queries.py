"""Customer queries: the list follows identity's own topic through its projection; history from the store."""
from __future__ import annotations

from ..conftest import eventually

ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "customer_type": "Wholesale",
        "sales_rep": "rep-7", "price_list": "A", "emails": "ap@acme.example"}


def listed(client, headers, tenant, **query):
    response = client.get(f"/v1/tenants/{tenant}/customers", query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def test_customers_are_searched_filtered_and_paged(identity, staff_headers, pipeline, tenant):
    h = staff_headers(tenant)
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME, headers=h)
    identity.post(f"/v1/tenants/{tenant}/customers", headers=h,
                  json={**ACME, "code": "BETA02", "name": "Beta Bolts", "customer_type": "Retail", "price_list": "B"})
    identity.post(f"/v1/tenants/{tenant}/customers", headers=h,
                  json={**ACME, "code": "JOE", "name": "Joe Bloggs", "kind": "individual", "sales_rep": "rep-9"})
    identity.post(f"/v1/tenants/{tenant}/customers/ACME01/contacts", headers=h,
                  json={"first_name": "Jane", "last_name": "Doe", "email": "jane@acme.example"})

    def all_three():
        page = listed(identity, h, tenant)
        assert [(c["code"], c["contacts"]) for c in page["items"]] == [("ACME01", 1), ("BETA02", 0), ("JOE", 0)]

    eventually(all_three)
    assert [c["code"] for c in listed(identity, h, tenant, q="bolt")["items"]] == ["BETA02"]
    assert [c["code"] for c in listed(identity, h, tenant, q="acme0")["items"]] == ["ACME01"]
    assert [c["code"] for c in listed(identity, h, tenant, customer_type="Wholesale")["items"]] == ["ACME01", "JOE"]
    assert [c["code"] for c in listed(identity, h, tenant, sales_rep="rep-9")["items"]] == ["JOE"]
    assert [c["code"] for c in listed(identity, h, tenant, price_list="B")["items"]] == ["BETA02"]
    assert [c["code"] for c in listed(identity, h, tenant, kind="individual")["items"]] == ["JOE"]
    second = listed(identity, h, tenant, page=2, page_size=2)
    assert [c["code"] for c in second["items"]] == ["JOE"] and second["total"] == 3


def test_a_bad_filter_gets_a_problem_naming_it(identity, staff_headers, tenant):
    response = identity.get(f"/v1/tenants/{tenant}/customers", query_string={"kind": "robot", "colour": "red"},
                            headers=staff_headers(tenant))
    assert response.status_code == 400 and {e["field"] for e in response.json["errors"]} == {"kind", "colour"}


def test_history_lists_the_customers_events_newest_first_with_who_and_when(identity, staff_headers, tenant):
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME, headers=staff_headers(tenant, username="alice"))
    identity.patch(f"/v1/tenants/{tenant}/customers/ACME01", json={"phone": "555-0100"},
                   headers=staff_headers(tenant, username="bob"))
    identity.post(f"/v1/tenants/{tenant}/customers/ACME01/archive", json={"reason": "closed"},
                  headers=staff_headers(tenant, username="carol"))

    history = identity.get(f"/v1/tenants/{tenant}/customers/ACME01/history", headers=staff_headers(tenant)).json
    assert [(e["type"].rsplit(".", 1)[1], e["actor"], e["version"]) for e in history["items"]] == [
        ("archived", "carol", 3), ("updated", "bob", 2), ("created", "alice", 1)]
    assert history["items"][1]["data"]["changes"] == {"phone": "555-0100"}
    assert history["items"][0]["occurred_at"] >= history["items"][2]["occurred_at"]
    missing = identity.get(f"/v1/tenants/{tenant}/customers/NOPE/history", headers=staff_headers(tenant))
    assert missing.status_code == 404 and missing.json["code"] == "customer.not_found"
