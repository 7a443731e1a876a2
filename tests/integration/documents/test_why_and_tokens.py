"""Staff ask why a user can or cannot see a document; only in-house users and administrators may ask.
Access tokens are identity's, verified with its JWKS over HTTP: none, another tenant's or an expired
one is refused before any rule is consulted."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

from .world import new_number


def test_the_answer_names_the_rule_the_facts_and_what_is_hidden(world):
    world.customer("ACME", "1200-ACME")
    auditor = world.staff_user("auditor")
    carol = world.user("ACME", "carol", own_orders_only=True)
    order = new_number("SO")
    world.publish("order", order, "1200-ACME")

    answer = world.decided(auditor, carol, "order", order, "order.not_own")
    assert answer["visible"] is False and "only the orders it placed" in answer["explanation"]
    assert answer["user"]["own_orders_only"] is True and answer["document"]["placed_by"] is None
    stranger = {"user_id": str(uuid.uuid4())}
    assert world.why(auditor, stranger, "order", order).json["rule"] == "reader.unknown"
    assert world.why(auditor, carol, "order", "SO-NONE").status_code == 404


def test_portal_users_and_sales_reps_may_not_ask(world):
    world.customer("ACME", "1200-ACME")
    alice = world.user("ACME", "alice")
    rep = world.identity.post(f"{world.base}/staff-users", headers=world.staff, json={
        "username": "rep", "name": "Rep", "roles": ["sales-rep"], "sales_rep": "R7"}).json
    order = new_number("SO")
    world.publish("order", order, "1200-ACME")
    for asker in (alice, rep):
        r = world.why(asker, alice, "order", order)
        assert (r.status_code, r.json["code"]) == (403, "auth.in_house_only")


def test_tokens_missing_foreign_or_expired_are_refused(world, identity_app):
    world.customer("ACME", "1200-ACME")
    alice = world.user("ACME", "alice")
    url = f"{world.base}/documents"
    signer = identity_app.extensions["identity"].security.signer
    claims = {"tenant": world.tenant, "preferred_username": "alice", "user_type": "portal"}
    expired = signer.issue(alice["user_id"], claims, datetime.now(timezone.utc) - timedelta(hours=1))
    foreign = signer.issue(alice["user_id"], {**claims, "tenant": "other-tenant"}, datetime.now(timezone.utc))
    for headers, status, code in (({}, 401, "auth.token_missing"), (world.erp, 401, "auth.token_invalid"),
                                  ({"Authorization": f"Bearer {expired}"}, 401, "auth.token_expired"),
                                  ({"Authorization": f"Bearer {foreign}"}, 403, "auth.wrong_tenant")):
        r = world.documents.get(url, headers=headers)
        assert (r.status_code, r.json["code"]) == (status, code)
