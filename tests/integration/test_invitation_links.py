"""Links that cannot register a username any more, each refused with its own code, by invitations when
opened and by identity when registering: expired, revoked, replaced by a resend, already used."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from invitations.service_layer.expiry import expire_due

from ..conftest import eventually
from .invitation_helpers import (add_customers, finished, identity_knows_ended, invitation_events, invite, link_token,
                                 register, refused_registration, sent_to, set_administrators, wait_for_candidates)


def _invited(identity, invitations, staff_headers, infra, topic_prefix, tenant) -> tuple[dict, dict]:
    """One customer invited; its InvitationSent and the admin's headers."""
    admin = staff_headers(tenant)
    ids = add_customers(identity, tenant, admin, {"code": "ACME01", "name": "Acme Tools Ltd",
                                                  "emails": "ap@acme.example"})
    wait_for_candidates(invitations, tenant, staff_headers(tenant), ["ACME01"])
    set_administrators(invitations, tenant, admin, "it@northwind.example")
    finished(invitations, admin, invite(invitations, tenant, admin, customer_ids=[ids["ACME01"]]).headers["Location"])
    return sent_to(invitation_events(infra, topic_prefix, tenant, "invitation.sent"), ids["ACME01"]), admin


def _open(invitations, tenant, token):
    return invitations.post(f"/v1/tenants/{tenant}/invitation-links/open", json={"token": token})


def test_an_expired_invitation_is_refused_and_listed_as_expired(identity, invitations, invitations_app,
                                                                 staff_headers, pipeline, infra, topic_prefix, tenant):
    sent, admin = _invited(identity, invitations, staff_headers, infra, topic_prefix, tenant)
    token = link_token(sent)
    assert datetime.fromisoformat(sent["data"]["expires_at"]) - datetime.now(timezone.utc) > timedelta(days=13)

    two_weeks_later = datetime.now(timezone.utc) + timedelta(days=15)
    service = invitations_app.extensions["invitations"]
    eventually(lambda: expire_due(service.uow(), two_weeks_later) >= 0 and _expired(service, sent))

    opened = _open(invitations, tenant, token)
    assert opened.status_code == 410 and opened.json["code"] == "invitation.expired"
    identity_knows_ended(identity, tenant, sent, "expired")
    refused = refused_registration(identity, tenant, token, "invitation.expired")
    assert refused.status_code == 410 and "send it again" in refused.json["detail"]
    history = eventually(lambda: _happened(invitations, tenant, admin, "expired"))
    assert history[0]["customer_code"] == "ACME01"


def test_a_revoked_invitation_is_refused(identity, invitations, staff_headers, pipeline, infra, topic_prefix, tenant):
    sent, admin = _invited(identity, invitations, staff_headers, infra, topic_prefix, tenant)
    url = f"/v1/tenants/{tenant}/invitations/{sent['data']['invitation_id']}"
    revoked = invitations.post(f"{url}/revoke", json={"reason": "wrong customer"}, headers=admin)
    assert revoked.status_code == 200 and revoked.json["state"] == "revoked"

    opened = _open(invitations, tenant, link_token(sent))
    assert opened.status_code == 410 and opened.json["code"] == "invitation.revoked"
    identity_knows_ended(identity, tenant, sent, "revoked")
    refused_registration(identity, tenant, link_token(sent), "invitation.revoked")
    again = invitations.post(f"{url}/resend", headers=admin)
    assert again.status_code == 409 and again.json["code"] == "invitation.state_conflict"


def test_a_resent_invitation_has_a_new_link_and_the_old_one_is_dead(identity, invitations, staff_headers, pipeline,
                                                                     infra, topic_prefix, tenant):
    sent, admin = _invited(identity, invitations, staff_headers, infra, topic_prefix, tenant)
    url = f"/v1/tenants/{tenant}/invitations/{sent['data']['invitation_id']}"
    resent = invitations.post(f"{url}/resend", json={"emails": ["buyer@acme.example"]}, headers=admin)
    assert resent.status_code == 200, resent.json
    assert resent.json["emails"] == ["buyer@acme.example"] and resent.json["address_source"] == "given"

    fresh = sent_to(invitation_events(infra, topic_prefix, tenant, "invitation.resent"), sent["data"]["customer_id"],
                    "invitation.resent")
    assert fresh["data"]["token_hash"] != sent["data"]["token_hash"]
    old = _open(invitations, tenant, link_token(sent))
    assert old.status_code == 410 and old.json["code"] == "invitation.link_replaced"
    identity_knows_ended(identity, tenant, sent)
    refused_registration(identity, tenant, link_token(sent), "invitation.link_replaced")
    assert _open(invitations, tenant, link_token(fresh)).status_code == 200
    assert eventually(lambda: _status(register(identity, tenant, link_token(fresh)), 201))


def test_a_used_link_does_not_register_twice(identity, invitations, staff_headers, pipeline, infra, topic_prefix,
                                             tenant):
    sent, _ = _invited(identity, invitations, staff_headers, infra, topic_prefix, tenant)
    token = link_token(sent)
    eventually(lambda: _status(register(identity, tenant, token), 201))

    second = register(identity, tenant, token, username="another.name")
    assert second.status_code == 409 and second.json["code"] == "invitation.already_used"
    unknown = register(identity, tenant, "x" * 43)
    assert unknown.status_code == 404 and unknown.json["code"] == "invitation.token_unknown"
    naming = register(identity, tenant, token, customer_code="ACME01")
    assert naming.status_code == 400 and naming.json["errors"][0]["field"] == "customer_code"


def _expired(service, sent) -> bool:
    with service.pool.connection() as conn:
        row = conn.execute("SELECT 1 FROM open_invitations WHERE invitation_id = %s",
                           (sent["data"]["invitation_id"],)).fetchone()
    assert row is None
    return True


def _happened(invitations, tenant, headers, what) -> list[dict]:
    items = invitations.get(f"/v1/tenants/{tenant}/invitation-history", query_string={"happened": what},
                            headers=headers).json["items"]
    assert items, what
    return items


def _status(response, status) -> bool:
    assert response.status_code == status, response.json
    return True
