"""Requests for quote read back: the sender sees its request at once (read-your-writes), its customer's
users see their customer's, in-house staff all, a sales rep only its own customers'."""
from __future__ import annotations

from tests.conftest import eventually

from .world import WAIT

RFQ = {"lines": [{"line_number": 1, "item_code": "BOLT-M8", "description": "Hex bolt M8x40", "quantity": "500"}],
       "notes": "For the Leeds warehouse"}


def _customer(world, code, rep):
    r = world.identity.put(f"{world.base}/customers/{code}", headers=world.staff, json={
        "kind": "company", "name": f"{code} Ltd", "receivable_account": f"1200-{code}", "sales_rep": rep})
    assert r.status_code in (200, 201), r.json


def _rep(world, username, code):
    r = world.identity.post(f"{world.base}/staff-users", headers=world.staff, json={
        "username": username, "name": username.title(), "roles": ["sales-rep"], "sales_rep": code,
        "initial_password": None})
    assert r.status_code == 201, r.json
    return r.json


def _send(world, user, key):
    def sent():
        r = world.documents.post(f"{world.base}/rfqs", json=RFQ,
                                 headers={**world.token(user), "Idempotency-Key": key})
        assert r.status_code == 202, r.json
        return r
    return eventually(sent, timeout=WAIT)  # the service knows the user once identity's event arrived


def _requests(world, user, **query):
    r = world.documents.get(f"{world.base}/rfqs", headers=world.token(user), query_string=query)
    assert r.status_code == 200, r.json
    return r.json


def test_each_reader_lists_the_requests_for_quote_it_may_see(world):
    _customer(world, "ACME", "rep-7")
    _customer(world, "BETA", "rep-9")
    alice = world.user("ACME", "alice", areas=["Quotes"])
    bob = world.user("BETA", "bob", areas=["Quotes"])
    ian = world.staff_user("ian", "in-house")
    rita = _rep(world, "rita", "rep-7")

    sent = _send(world, alice, "alice-1")
    after = sent.headers["Portico-Position"]
    mine = _requests(world, alice, after=after)  # no waiting by hand: `after` waits for the projection
    assert mine["total"] == 1
    [request] = mine["items"]
    assert request["request_id"] == sent.json["request_id"]
    assert request["requested_by"] == {"user_id": alice["user_id"], "username": "alice"}
    assert request["lines"][0]["description"] == "Hex bolt M8x40" and request["notes"] == RFQ["notes"]
    assert request["customer"]["receivable_account"] == "1200-ACME"
    # The same position token is good for the document list too (it once answered "after: Unknown field").
    listed = world.documents.get(f"{world.base}/documents", headers=world.token(alice), query_string={"after": after})
    assert listed.status_code == 200, listed.json

    _send(world, bob, "bob-1")
    assert [r["customer"]["receivable_account"] for r in eventually(
        lambda: _exactly(_requests(world, ian), 2), timeout=WAIT)] == ["1200-BETA", "1200-ACME"]
    rep_sees = eventually(lambda: _exactly(_requests(world, rita), 1), timeout=WAIT)
    assert rep_sees[0]["customer"] == {"customer_id": alice["customer_id"], "code": "ACME", "name": "ACME Ltd",
                                       "receivable_account": "1200-ACME"}
    assert [r["requested_by"]["username"] for r in _requests(world, bob)["items"]] == ["bob"]


def test_a_bad_page_or_position_is_a_problem_naming_the_field(world):
    world.customer("ACME", "1200-ACME")
    ian = world.staff_user("ian", "in-house")
    for query, field in (({"page": "0"}, "page"), ({"after": "nonsense"}, "after"), ({"colour": "red"}, "colour")):
        r = world.documents.get(f"{world.base}/rfqs", headers=world.token(ian), query_string=query)
        assert r.status_code == 400 and [e["field"] for e in r.json["errors"]] == [field], r.json


def _exactly(page, n):
    assert page["total"] == n, page
    return page["items"]
