"""Forgetting people (issue 17), end to end: a contact, a portal user and an individual customer go through
invitations, e-mails and documents; each is erased; then no table of any service's database, no record of
any topic read raw from Kafka (invitations' and notifications' own too) and no line of the delivery log holds
their name, e-mail address or phone in clear, a projection rebuilt from the beginning holds the marker, and
the non-personal facts are unchanged.
"""
from __future__ import annotations

import uuid

import psycopg
from psycopg.rows import dict_row

import contracts
from contracts.personal import is_sealed
from contracts.topics import TOPICS
from eventkit.offsets import topic_heads
from eventkit.personal import FORGOTTEN
from eventkit.rebuild import rebuild

from ..conftest import eventually
from ..documents_samples import body
from .invitation_helpers import (candidate_codes, finished, invitation_events, invite, link_token, register, sent_to,
                                 set_administrators)
from .notification_helpers import all_records, arrived

def _rows_holding(dsn: str, needles: list[str]) -> list[str]:
    """Every row of every table of a database that contains one of the needles, as 'table: needle'."""
    found = []
    with psycopg.connect(dsn, row_factory=dict_row) as conn:
        tables = [r["table_name"] for r in conn.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE'").fetchall()]
        for table in tables:  # one pass over each table, each row's text made once
            hits = conn.execute(
                f'SELECT DISTINCT needle FROM "{table}" t, LATERAL (SELECT lower(to_jsonb(t)::text) AS text) row,'
                ' unnest(%s::text[]) AS needle WHERE strpos(row.text, needle) > 0',
                ([n.lower() for n in needles],)).fetchall()
            found += sorted(f"{table}: {hit['needle']}" for hit in hits)
    return found


def _assert_in(item, items) -> None:
    assert item in items, items


def _records_holding(infra, topic: str, needles: list[str]) -> list[str]:
    """Every record of a topic, value and headers read raw, that contains one of the needles."""
    found = []
    for record in all_records(infra, topic):
        raw = (record.value or b"").lower() + b"".join(v.lower() for _, v in record.headers or [])
        found += [f"{topic}@{record.offset}: {n}" for n in needles if n.lower().encode() in raw]
    return found

def test_forgotten_people_leave_no_clear_value_in_any_table_topic_or_delivery_log(
        identity, invitations, notifications, documents, identity_app, notifications_app, documents_app, infra,
        topic_prefix, tenant, staff_headers, erp_headers, mail, pipeline):
    staff = staff_headers(tenant)
    tag = uuid.uuid4().hex[:8]
    grace = {"name": f"Grace Hopperfield{tag}", "email": f"grace.{tag}@home.example", "phone": f"+1 555 01{tag}"}
    ada = {"first_name": f"Ada{tag}", "last_name": f"Lovelacewick{tag}", "email": f"ada.{tag}@acme.example",
           "phone": f"+44 20 79{tag}"}
    kath = {"first_name": f"Katherine{tag}", "last_name": f"Johnsonby{tag}", "email": f"kath.{tag}@home.example"}
    needles = [grace["name"], grace["email"], grace["phone"], ada["first_name"], ada["last_name"], ada["email"],
               ada["phone"], kath["first_name"], kath["last_name"], kath["email"]]

    # An individual customer, a company with a contact, both in documents; the individual is invited, and
    # a portal user registers from the invitation (e-mails: the invitation, registration received, review).
    person = identity.post(f"/v1/tenants/{tenant}/customers", headers=staff, json={
        "code": f"IND{tag}", "kind": "individual", "name": grace["name"], "receivable_account": f"AR-{tag}",
        "emails": grace["email"], "phone": grace["phone"],
        "billing_address": {"line1": f"1 Compiler Lane {tag}", "city": "Arlington", "country": "US"}})
    assert person.status_code == 201, person.json
    company = identity.post(f"/v1/tenants/{tenant}/customers", headers=staff, json={
        "code": f"CO{tag}", "name": "Acme Tools Ltd", "receivable_account": f"AR-CO{tag}", "emails": "ap@acme.example"})
    assert company.status_code == 201, company.json
    contact = identity.post(f"/v1/tenants/{tenant}/customers/CO{tag}/contacts", headers=staff, json=ada)
    assert contact.status_code == 201, contact.json
    erp = erp_headers(tenant)
    for account, number in ((f"AR-{tag}", f"INV-{tag}"), (f"AR-CO{tag}", f"INV-CO{tag}")):
        put = documents.put(f"/v1/tenants/{tenant}/documents/invoices/{number}", json=body("invoice", account),
                            headers=erp)
        assert put.status_code in (200, 201), put.json
    set_administrators(invitations, tenant, staff, f"admin.{tag}@distributor.example")
    eventually(lambda: _assert_in(f"IND{tag}", candidate_codes(invitations, tenant, staff)))
    batch = invite(invitations, tenant, staff, customer_ids=[person.json["customer_id"]])
    assert batch.status_code == 202, batch.json
    finished(invitations, staff, batch.headers["Location"])
    sent = invitation_events(infra, topic_prefix, tenant, "invitation.sent")
    arrived(mail, grace["email"], "invitation")
    registered = register(identity, tenant, link_token(sent_to(sent, person.json["customer_id"])), username=f"kj-{tag}",
                          first_name=kath["first_name"], last_name=kath["last_name"], emails=kath["email"])
    assert registered.status_code in (201, 202), registered.json
    arrived(mail, kath["email"], "registration_received")
    arrived(mail, f"admin.{tag}@distributor.example", "username_review")
    user_id = registered.json["user_id"]

    dsns = {name: app.config["DATABASE_URL"] for name, app in (
        ("identity", identity_app), ("notifications", notifications_app), ("documents", documents_app))}
    dsns["invitations"] = invitations.application.config["DATABASE_URL"]
    with psycopg.connect(dsns["notifications"], row_factory=dict_row) as conn:
        log = lambda: conn.execute("SELECT kind, status, queued_at FROM deliveries WHERE tenant_id = %s"  # noqa: E731
                                   " ORDER BY queued_at, kind", (tenant,)).fetchall()
        def all_sent():
            rows = log()
            assert len(rows) >= 3 and all(r["status"] == "sent" for r in rows), rows
            return rows
        log_before = eventually(all_sent)

        # Invitations' and notifications' own events hold the people's values sealed (the administrator's
        # address is nobody's personal data and stays in clear).
        def announced():
            rows = conn.execute("SELECT data FROM events WHERE tenant_id = %s AND event_type ="
                                " 'portico.notifications.email.sent'", (tenant,)).fetchall()
            assert len(rows) == len(log_before), rows
            return [r["data"]["recipient"] for r in rows]
        recipients = eventually(announced)
        assert sum(map(is_sealed, recipients)) == 2 and f"admin.{tag}@distributor.example" in recipients
    assert is_sealed(sent_to(sent, person.json["customer_id"])["data"]["customer_name"])

    # Erase each; the second time changes nothing and answers the same moment.
    subjects = [f"customer-{person.json['customer_id']}", f"contact-{contact.json['contact']['contact_id']}",
                f"user-{user_id}"]
    for subject in subjects:
        first = identity.post(f"/v1/tenants/{tenant}/people/{subject}/erasure", headers=staff,
                              json={"reason": "asked to be forgotten (GDPR article 17)"})
        assert first.status_code == 200, first.json
        again = identity.post(f"/v1/tenants/{tenant}/people/{subject}/erasure", headers=staff,
                              json={"reason": "asked again"})
        assert again.json == first.json

    def nothing_left():
        leaks = [f"{svc}.{hit}" for svc, dsn in dsns.items() for hit in _rows_holding(dsn, needles)]
        leaks += [hit for topic in TOPICS
                  for hit in _records_holding(infra, topic_prefix + topic.name, needles)]
        assert leaks == []
    eventually(nothing_left, timeout=60)

    # Invitations' own store held the individual's invitation sealed: read back now, it opens to the marker.
    own = invitations.application.extensions["invitations"]
    invitation_id = sent_to(sent, person.json["customer_id"])["data"]["invitation_id"]
    with own.pool.connection() as conn:
        first_event = own.store.read_stream(conn, f"invitation-{invitation_id}")[0]
    assert (first_event.data["customer_name"], first_event.data["emails"]) == (FORGOTTEN, [])

    # A projection rebuilt from the beginning holds the marker; the facts that are nobody's stay as they were.
    service = notifications_app.extensions["notifications"]
    projection = next(p for p in service.projections if p.name == "notifications.customers.v1")
    table = rebuild(service.pool, projection, lambda copy, pool: service.consumer(copy, pool=pool, follow_registry=False),
                    lambda: topic_heads(infra.kafka_bootstrap, [topic_prefix + t for t in projection.topics]))
    with psycopg.connect(dsns["notifications"], row_factory=dict_row) as conn:
        row = conn.execute(f"SELECT name, emails FROM {table} WHERE tenant_id = %s AND customer_id = %s",
                           (tenant, person.json["customer_id"])).fetchone()
        assert row == {"name": FORGOTTEN, "emails": []}
        assert log() == log_before
    with psycopg.connect(dsns["identity"], row_factory=dict_row) as conn:
        kinds = [r["event_type"] for r in conn.execute(
            "SELECT event_type FROM events WHERE tenant_id = %s ORDER BY position", (tenant,)).fetchall()]
        customers = conn.execute("SELECT code, contacts FROM customers_v1 WHERE tenant_id = %s ORDER BY code",
                                 (tenant,)).fetchall()
    assert kinds.count("portico.identity.subject.forgotten") == 3 and len(kinds) > 6
    assert customers == [{"code": f"CO{tag}", "contacts": 1}, {"code": f"IND{tag}", "contacts": 0}]
    with psycopg.connect(dsns["documents"], row_factory=dict_row) as conn:
        numbers = [r["number"] for r in conn.execute("SELECT number FROM documents_v1 WHERE tenant_id = %s"
                                                     " ORDER BY number", (tenant,)).fetchall()]
    assert numbers == sorted([f"INV-{tag}", f"INV-CO{tag}"])
    assert contracts.catalogue().latest("portico.identity.subject.forgotten").version == 1

