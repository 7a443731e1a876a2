"""Contacts by hand over HTTP: each change is an event on Kafka in the company's stream, with who did it."""
from __future__ import annotations

from ..conftest import eventually
from .kafka_events import published

ACME = {"code": "ACME01", "name": "Acme Tools Ltd", "receivable_account": "1200-ACME", "emails": "ap@acme.example"}
JANE = {"first_name": "Jane", "last_name": "Doe", "email": "jane@acme.example", "title": "Buyer"}


def test_adding_changing_and_removing_a_contact_publishes_three_events_with_their_actor(
        identity, staff_headers, pipeline, infra, topic_prefix, tenant):
    url = f"/v1/tenants/{tenant}/customers/ACME01/contacts"
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME, headers=staff_headers(tenant))
    added = identity.post(url, json=JANE, headers=staff_headers(tenant, username="staff-2"))
    assert added.status_code == 201, added.json
    contact_id = added.json["contact"]["contact_id"]
    assert added.headers["Location"].endswith(f"/customers/ACME01/contacts/{contact_id}")

    changed = identity.patch(f"{url}/{contact_id}", json={"title": "Head of purchasing", "last_name": "Doe"},
                             headers=staff_headers(tenant, username="staff-3"))
    assert changed.status_code == 200 and changed.json["contact"]["title"] == "Head of purchasing"
    removed = identity.delete(f"{url}/{contact_id}", headers=staff_headers(tenant, username="staff-4"))
    assert removed.status_code == 200 and removed.json["customer"]["contacts"] == []

    def on_kafka():
        events = published(infra, topic_prefix, tenant)
        assert [(e["type"], e["actor"]) for e in events] == [
            ("customer.created", "staff-1"), ("customer.contact_added", "staff-2"),
            ("customer.contact_updated", "staff-3"), ("customer.contact_removed", "staff-4")]
        return events

    events = eventually(on_kafka)
    assert events[2]["data"]["changes"] == {"title": "Head of purchasing"}
    assert {e["stream"] for e in events} == {f"customer-{added.json['customer']['customer_id']}"}


def test_one_customer_is_shown_with_its_contacts(identity, staff_headers, tenant):
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME, headers=staff_headers(tenant))
    identity.post(f"/v1/tenants/{tenant}/customers/ACME01/contacts", json=JANE, headers=staff_headers(tenant))
    shown = identity.get(f"/v1/tenants/{tenant}/customers/ACME01", headers=staff_headers(tenant)).json
    assert [(c["first_name"], c["email"], c["title"]) for c in shown["contacts"]] == [
        ("Jane", "jane@acme.example", "Buyer")]


def test_bad_contacts_get_problems_naming_the_field(identity, staff_headers, tenant):
    url = f"/v1/tenants/{tenant}/customers/ACME01/contacts"
    assert identity.post(url, json=JANE, headers=staff_headers(tenant)).json["code"] == "customer.not_found"
    identity.post(f"/v1/tenants/{tenant}/customers", json=ACME, headers=staff_headers(tenant))
    invalid = identity.post(url, json={**JANE, "email": "nope", "age": 3}, headers=staff_headers(tenant))
    assert invalid.status_code == 400 and {e["field"] for e in invalid.json["errors"]} == {"email", "age"}
    identity.post(url, json=JANE, headers=staff_headers(tenant))
    twice = identity.post(url, json={**JANE, "first_name": "Janet"}, headers=staff_headers(tenant))
    assert twice.status_code == 409 and twice.json["code"] == "contact.duplicate_email"
    assert twice.json["errors"][0]["field"] == "email"


def test_an_individual_account_takes_no_contacts(identity, staff_headers, tenant):
    identity.post(f"/v1/tenants/{tenant}/customers", headers=staff_headers(tenant),
                  json={**ACME, "code": "JOE", "kind": "individual", "name": "Joe Bloggs"})
    refused = identity.post(f"/v1/tenants/{tenant}/customers/JOE/contacts", json=JANE, headers=staff_headers(tenant))
    assert refused.status_code == 409 and refused.json["code"] == "contact.not_a_company"
