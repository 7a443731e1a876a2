"""What could a user see at a past instant (issue 17): events with chosen times, over the real broker,
and the answer checked between every change of the user and of its documents."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from kafka import KafkaProducer

from eventkit.cloudevents import to_record
from eventkit.envelope import StoredEvent
from tests.conftest import eventually
from tests.documents_samples import content

from .world import WAIT

DAY1 = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


def at(day: int, hour: int = 9) -> datetime:
    return DAY1 + timedelta(days=day - 1, hours=hour - 9)


class History:
    """Events as identity and the ERP would have published them, each at a time the test chooses."""

    def __init__(self, infra, prefix: str, tenant: str):
        self.producer = KafkaProducer(bootstrap_servers=infra.kafka_bootstrap, acks="all")
        self.prefix, self.tenant, self.versions = prefix, tenant, {}

    def emit(self, topic: str, stream: str, type_: str, when: datetime, data: dict) -> None:
        version = self.versions[stream] = self.versions.get(stream, 0) + 1
        event = StoredEvent(version, stream, stream.split("-")[0], version, uuid.uuid4(), type_, 1, self.tenant,
                            when, "test", uuid.uuid4(), None, None, data, source="/test")
        key, value, headers = to_record(event)
        self.producer.send(self.prefix + topic, key=key, value=value, headers=headers).get(timeout=10)

    def user(self, verb: str, user_id: str, when: datetime, **data) -> None:
        self.emit("portico.identity", f"user-{user_id}", f"portico.identity.user.{verb}", when,
                  {"user_id": user_id, "username": "acme.buyer", **data})

    def document(self, verb: str, kind: str, number: str, when: datetime, **data) -> str:
        document_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{self.tenant}/{kind}/{number}"))
        self.emit("portico.documents", f"{kind}-{document_id}", f"portico.documents.{kind}.{verb}", when,
                  {"document_id": document_id, "number": number, **data})
        return document_id


@pytest.fixture
def history(infra, topic_prefix, tenant):
    h = History(infra, topic_prefix, tenant)
    yield h
    h.producer.close()


def test_the_answer_at_each_instant_is_the_rules_over_the_history_up_to_it(world, history):
    asker = world.staff_user("auditor", role="in-house")
    user, customer, other = (str(uuid.uuid4()) for _ in range(3))
    account = f"AR-{world.tenant}"
    history.user("created", user, at(1), kind="management", customer_id=customer, customer_code="ACME",
                 contact_id=None, receivable_account=account, emails=["buyer@example.com"], areas=["orders"],
                 own_orders_only=False, welcome_email_requested=False, password_setup="initial_password",
                 set_password_token=None, set_password_expires_at=None, paired_with=None)
    order = content("order", account, placed_by_user_id=other)
    history.document("published", "order", "SO-1", at(1, 10), document=order)
    history.document("published", "invoice", "INV-1", at(2, 10), document=content("invoice", account))
    history.user("role_granted", user, at(3), area="invoices", role="portal.invoices")
    history.user("own_orders_only_changed", user, at(4), own_orders_only=True)
    history.document("updated", "invoice", "INV-1", at(5, 8), document=content("invoice", account, status="paid"),
                     changed=["status"])
    history.document("updated", "order", "SO-1", at(5, 10), document={**order, "receivable_account": "AR-ELSE"},
                     changed=["receivable_account"])
    history.user("disabled", user, at(6), user_type="portal", reason=None)
    history.user("enabled", user, at(7), user_type="portal")
    history.user("role_revoked", user, at(7, 10), area="invoices", role="portal.invoices")
    history.document("withdrawn", "invoice", "INV-1", at(8), receivable_account=account, reason=None)

    def seen(when: datetime) -> tuple:
        r = world.documents.get(f"{world.base}/users/{user}/visibility", headers=world.token(asker),
                                query_string={"at": when.isoformat()})
        assert r.status_code == 200, r.json
        a = r.json
        docs = {(d["number"], d["status"], d["visible"], d["rule"]) for area in a["areas"].values() for d in area}
        u = a["user"] and (a["user"]["status"], tuple(a["user"]["areas"]), a["user"]["own_orders_only"],
                           a["user"]["receivable_account"])
        return a["rule"], u, docs

    def settled():  # the last event has arrived: from then on every answer is final
        assert seen(at(9))[2] == set(), seen(at(9))
        assert seen(at(8, 8))[2] == {("INV-1", "paid", False, "area.not_held")}
    eventually(settled, timeout=WAIT)

    active = lambda areas, own=False: ("active", areas, own, account)  # noqa: E731
    assert seen(at(1, 8)) == ("reader.unknown", None, set())
    assert seen(at(1, 9, )) == (None, active(("orders",)), set())
    assert seen(at(1, 11)) == (None, active(("orders",)), {("SO-1", "Processing", True, "visible")})
    assert seen(at(2, 11)) == (None, active(("orders",)), {("SO-1", "Processing", True, "visible"),
                                                          ("INV-1", "open", False, "area.not_held")})
    assert seen(at(3, 12)) == (None, active(("invoices", "orders")), {("SO-1", "Processing", True, "visible"),
                                                                     ("INV-1", "open", True, "visible")})
    assert seen(at(4, 12)) == (None, active(("invoices", "orders"), True),
                               {("SO-1", "Processing", False, "order.not_own"), ("INV-1", "open", True, "visible")})
    assert seen(at(5, 9)) == (None, active(("invoices", "orders"), True),
                              {("SO-1", "Processing", False, "order.not_own"), ("INV-1", "paid", True, "visible")})
    assert seen(at(5, 11)) == (None, active(("invoices", "orders"), True), {("INV-1", "paid", True, "visible")})
    disabled = seen(at(6, 12))
    assert disabled[:2] == ("reader.disabled", ("disabled", ("invoices", "orders"), True, account))
    assert disabled[2] == {("INV-1", "paid", False, "reader.disabled")}
    assert seen(at(7, 9, )) == (None, active(("invoices", "orders"), True), {("INV-1", "paid", True, "visible")})
    assert seen(at(7, 11)) == (None, active(("orders",), True), {("INV-1", "paid", False, "area.not_held")})


def test_a_portal_user_may_not_ask_and_a_bad_instant_names_the_field(world):
    world.customer("C1", "AR-C1")
    portal = world.user("C1", "c1.buyer")
    asker = world.staff_user("auditor2", role="in-house")
    path = f"{world.base}/users/{uuid.uuid4()}/visibility"

    def refused():
        r = world.documents.get(path, headers=world.token(portal), query_string={"at": "2026-03-14T12:00:00Z"})
        assert r.status_code == 403 and r.json["code"] == "auth.in_house_only", r.json
    eventually(refused, timeout=WAIT)

    def bad():
        r = world.documents.get(path, headers=world.token(asker), query_string={"at": "14 March"})
        assert r.status_code == 400, r.json
        assert [e["field"] for e in r.json["errors"]] == ["at"]
    eventually(bad, timeout=WAIT)
    r = world.documents.get(path, headers=world.token(asker), query_string={"at": "2026-03-14T12:00:00"})
    assert r.status_code == 400 and [e["field"] for e in r.json["errors"]] == ["at"]  # no time zone: which day?
    r = world.documents.get(path, headers=world.token(asker), query_string={"at": "2026-03-14T12:00:00Z", "after": "x"})
    assert r.status_code == 400 and [e["field"] for e in r.json["errors"]] == ["after"]
    r = world.documents.get(path, headers=world.token(asker), query_string={"at": "2026-03-14T12:00:00Z"})
    assert r.status_code == 200 and r.json["rule"] == "reader.unknown" and r.json["user"] is None
