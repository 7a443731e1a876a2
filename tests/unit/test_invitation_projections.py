"""The invitation read models, table-driven: an event in, the exact rows out."""
import dataclasses
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from identity.adapters.projections import invitation_tokens as tokens
from identity.adapters.projections.invitation_tokens import PROJECTION as TOKENS
from invitations.adapters.projections import candidates, history, unapproved_usernames as unapproved
from invitations.adapters.projections.acceptances import PROJECTION as ACCEPTANCES
from invitations.adapters.projections.candidates import PROJECTION as CANDIDATES
from invitations.adapters.projections.history import PROJECTION as HISTORY
from invitations.adapters.projections.unapproved_usernames import PROJECTION as UNAPPROVED

AT = datetime(2026, 11, 28, tzinfo=timezone.utc)
CID, IID, UID = (str(uuid.uuid4()) for _ in range(3))


def event(type_, **data):
    return StoredEvent(1, "s-1", "s", 1, uuid.uuid4(), type_, 1, "demo", AT, "staff-1", uuid.uuid4(), None, None, data)


REGISTERED = dict(user_id=UID, username="kim", customer_id=CID, customer_code="ACME01", first_name="Kim",
                  last_name="Lee", emails=["kim@acme.example"], business_name=None, source="invitation",
                  invitation_id=IID, kind="management", contact_id=None, receivable_account="AR", areas=[],
                  own_orders_only=False)


@pytest.mark.parametrize("type_, data, statement, values", [
    ("portico.identity.user.created", {"customer_id": CID, "customer_code": "ACME01"}, candidates.USERNAMES_ADDED,
     {"tenant_id": "demo", "customer_id": CID, "code": "ACME01", "n": 1}),
    ("portico.identity.user.deleted", {"user_type": "portal", "customer_id": CID}, candidates.USERNAMES_DELETED,
     {"tenant_id": "demo", "customer_id": CID, "n": 1}),
])
def test_candidates_count_a_customers_usernames(type_, data, statement, values):
    [row] = CANDIDATES.rows_for(event(type_, **data))
    assert row.statement is statement and row.values == values


def test_deleting_a_staff_user_changes_no_candidate():
    assert CANDIDATES.rows_for(event("portico.identity.user.deleted", user_type="staff", customer_id=None)) == []


def test_a_registration_waits_for_approval_until_approved_or_deleted():
    [insert] = UNAPPROVED.rows_for(event("portico.identity.user.registered", **REGISTERED))
    assert insert.statement is unapproved.WAITING
    assert (insert.values["invitation_id"], insert.values["registered_at"]) == (IID, AT)
    for verb in ("approved", "deleted"):
        [delete] = UNAPPROVED.rows_for(event(f"portico.identity.user.{verb}", user_id=UID))
        assert delete.statement is unapproved.REVIEWED and delete.values == {"tenant_id": "demo", "user_id": UID}


def test_only_registrations_from_an_invitation_wait_to_be_accepted():
    registered = event("portico.identity.user.registered", **REGISTERED)
    registered = dataclasses.replace(registered, traceparent=f"00-{'a' * 32}-{'b' * 16}-01")
    insert, notify = ACCEPTANCES.rows_for(registered)
    assert insert.values["invitation_id"] == IID and notify.statement.sql == "NOTIFY portico_invitation_acceptances"
    # what InvitationAccepted continues: the registration as its cause, and its trace
    assert (insert.values["causation_id"], insert.values["traceparent"]) == (registered.id, registered.traceparent)
    assert ACCEPTANCES.rows_for(event("portico.identity.user.registered",
                                      **{**REGISTERED, "source": "self", "invitation_id": None})) == []


def test_history_copies_the_customer_from_the_sent_row_for_what_follows():
    [opened] = HISTORY.rows_for(event("portico.invitations.invitation.opened", invitation_id=IID, customer_id=CID))
    assert opened.statement is history.FOLLOWED and opened.key == (IID,)  # after the sent row of its invitation
    assert "JOIN {table} AS sent ON sent.invitation_id = rows.invitation_id AND sent.happened = 'sent'" in (
        history.FOLLOWED.sql)
    assert opened.values["happened"] == "opened"
    [skipped] = HISTORY.rows_for(event("portico.invitations.batch.customer_skipped", batch_id=IID,
                                       customer_id=CID, customer_code="B2", customer_name="Beta",
                                       reason_code="no_email_address", reason="No e-mail address."))
    assert (skipped.values["happened"], skipped.values["detail"]) == ("skipped", "No e-mail address.")


@pytest.mark.parametrize("type_", ["revoked", "expired", "accepted"])
def test_identity_marks_every_link_of_an_ended_invitation(type_):
    [row] = TOKENS.rows_for(event(f"portico.invitations.invitation.{type_}", invitation_id=IID, customer_id=CID))
    assert row.statement is tokens.ENDED and row.values == {"invitation_id": IID, "state": type_}


def test_identity_keeps_a_resent_invitations_new_link_and_marks_the_old_ones_replaced():
    data = dict(invitation_id=IID, customer_id=CID, customer_code="ACME01", token_hash="c" * 64,
                expires_at="2026-12-12T00:00:00+00:00")
    replaced, added = TOKENS.rows_for(event("portico.invitations.invitation.resent", **data))
    assert replaced.statement is tokens.REPLACED and replaced.values == {"invitation_id": IID, "token_hash": "c" * 64}
    assert added.statement is tokens.LINKED and added.values == {"tenant_id": "demo", **data}
    [used] = TOKENS.rows_for(event("portico.identity.user.registered", **REGISTERED))
    assert used.statement is tokens.USED and used.values == {"at": AT, "invitation_id": IID}
