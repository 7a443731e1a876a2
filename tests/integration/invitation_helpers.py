"""Helpers for the invitation tests: customers in identity, batches, the links' tokens, Kafka's record."""
from __future__ import annotations

from contracts.invitations import INVITATION_CONTEXT
from eventkit import sealed
from eventkit.projection_tables import active_table
from identity.adapters.projections import invitation_tokens

from ..conftest import eventually
from ..fixtures.settings import KEYS
from .kafka_events import published

PASSWORD = "correct horse battery"


def add_customers(identity, tenant, headers, *customers) -> dict[str, str]:
    """Create customers in identity; their ids by code."""
    ids = {}
    for fields in customers:
        body = {"receivable_account": f"AR-{fields['code']}", "customer_type": "Wholesale", "sales_rep": "rep-7",
                "price_list": "A", **fields}
        response = identity.post(f"/v1/tenants/{tenant}/customers", json=body, headers=headers)
        assert response.status_code == 201, response.json
        ids[fields["code"]] = response.json["customer_id"]
    return ids


def candidate_codes(invitations, tenant, headers, **query) -> list[str]:
    response = invitations.get(f"/v1/tenants/{tenant}/candidates", query_string=query, headers=headers)
    assert response.status_code == 200, response.json
    return [c["code"] for c in response.json["items"]]


def wait_for_candidates(invitations, tenant, headers, codes, **query) -> None:
    def listed():
        assert candidate_codes(invitations, tenant, headers, **query) == codes
    eventually(listed)


def set_administrators(invitations, tenant, headers, *emails):
    response = invitations.put(f"/v1/tenants/{tenant}/username-administrators", json={"emails": list(emails)},
                               headers=headers)
    assert response.status_code == 200, response.json
    return response.json


def invite(invitations, tenant, headers, **body):
    return invitations.post(f"/v1/tenants/{tenant}/invitation-batches", json=body, headers=headers)


def finished(invitations, headers, location) -> dict:
    """The batch's progress once the worker is done with it."""
    def done():
        progress = invitations.get(location, headers=headers).json
        assert progress["state"] == "done", progress
        return progress
    return eventually(done)


def invitation_events(infra, topic_prefix, tenant, *types) -> list[dict]:
    """The tenant's events on portico.invitations, once the given types have all arrived."""
    def arrived():
        events = published(infra, topic_prefix, tenant, topic="portico.invitations")
        assert set(types) <= {e["type"] for e in events}, [e["type"] for e in events]
        return events
    return eventually(arrived)


def link_token(event: dict) -> str:
    """What the notifications service does with InvitationSent: open the sealed token for the e-mail's link."""
    return sealed.open_sealed(event["data"]["invitation_token"], KEYS["SEALED_PRIVATE_KEY"], INVITATION_CONTEXT)


def sent_to(events: list[dict], customer_id: str, type_: str = "invitation.sent") -> dict:
    [event] = [e for e in events if e["type"] == type_ and e["data"]["customer_id"] == customer_id]
    return event


def register(identity, tenant, token, username="acme.buyer", **fields):
    body = {"invitation_token": token, "username": username, "password": PASSWORD, "first_name": "Ada",
            "last_name": "Buyer", "emails": "ada@acme.example", **fields}
    return identity.post(f"/v1/tenants/{tenant}/registrations", json=body)


def refused_registration(identity, tenant, token, code, **fields) -> dict:
    """A registration with the link, refused with `code`. For a link the invitations service ended (expired,
    revoked, replaced), wait first until identity knows (identity_knows_ended): until then identity takes
    the link, and the attempt would register with it."""
    response = register(identity, tenant, token, **fields)
    assert response.json.get("code") == code, response.json
    return response


def identity_knows_ended(identity, tenant, link: dict, state: str | None = None) -> None:
    """Wait until identity's projection of the invitation links shows the link (an InvitationSent as
    `published` gives it) ended: in `state`, or, without one, replaced by a resend."""
    service = identity.application.extensions["identity"]

    def shown():
        with service.pool.connection() as conn:
            table = active_table(conn, invitation_tokens.PROJECTION)
            row = conn.execute(f"SELECT state, replaced FROM {table} WHERE tenant_id = %s AND token_hash = %s",
                               (tenant, link["data"]["token_hash"])).fetchone()
        assert row is not None and (row["state"] == state if state else row["replaced"]), row
    eventually(shown)
