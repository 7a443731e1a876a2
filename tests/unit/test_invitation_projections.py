"""The invitation read models, table-driven: an event in, the exact statements out."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from identity.adapters.projections.invitation_tokens import PROJECTION as TOKENS
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


@pytest.mark.parametrize("type_, data, sql", [
    ("portico.identity.user.created", {"customer_id": CID, "customer_code": "ACME01"},
     "INSERT INTO candidates_v1 (tenant_id, customer_id, code, name, kind, usernames) VALUES (%(tenant_id)s,"
     " %(customer_id)s, %(code)s, %(code)s, 'company', 1) ON CONFLICT (tenant_id, customer_id) DO UPDATE SET"
     " usernames = candidates_v1.usernames + 1"),
    ("portico.identity.user.deleted", {"user_type": "portal", "customer_id": CID},
     "UPDATE candidates_v1 SET usernames = greatest(usernames - 1, 0) WHERE tenant_id = %(tenant_id)s"
     " AND customer_id = %(customer_id)s"),
])
def test_candidates_count_a_customers_usernames(type_, data, sql):
    [statement] = CANDIDATES.statements_for(event(type_, **data))
    assert statement.sql == sql


def test_deleting_a_staff_user_changes_no_candidate():
    assert CANDIDATES.statements_for(event("portico.identity.user.deleted", user_type="staff", customer_id=None)) == []


def test_a_registration_waits_for_approval_until_approved_or_deleted():
    [insert] = UNAPPROVED.statements_for(event("portico.identity.user.registered", **REGISTERED))
    assert insert.sql.startswith("INSERT INTO unapproved_usernames_v1 (tenant_id, user_id, username, customer_id,")
    assert (insert.params["invitation_id"], insert.params["at"]) == (IID, AT)
    for verb in ("approved", "deleted"):
        [delete] = UNAPPROVED.statements_for(event(f"portico.identity.user.{verb}", user_id=UID))
        assert delete.sql == ("DELETE FROM unapproved_usernames_v1 WHERE tenant_id = %(tenant_id)s"
                              " AND user_id = %(user_id)s")


def test_only_registrations_from_an_invitation_wait_to_be_accepted():
    insert, notify = ACCEPTANCES.statements_for(event("portico.identity.user.registered", **REGISTERED))
    assert insert.params["invitation_id"] == IID and notify.sql == "NOTIFY portico_invitation_acceptances"
    assert ACCEPTANCES.statements_for(event("portico.identity.user.registered",
                                            **{**REGISTERED, "source": "self", "invitation_id": None})) == []


def test_history_copies_the_customer_from_the_sent_row_for_what_follows():
    [opened] = HISTORY.statements_for(event("portico.invitations.invitation.opened", invitation_id=IID,
                                            customer_id=CID))
    assert opened.sql.startswith("INSERT INTO invitation_history_v1 (tenant_id, event_id, happened,")
    assert "FROM invitation_history_v1 WHERE invitation_id = %(invitation_id)s AND happened = 'sent'" in opened.sql
    assert opened.params["happened"] == "opened"
    [skipped] = HISTORY.statements_for(event("portico.invitations.batch.customer_skipped", batch_id=IID,
                                             customer_id=CID, customer_code="B2", customer_name="Beta",
                                             reason_code="no_email_address", reason="No e-mail address."))
    assert (skipped.params["happened"], skipped.params["detail"]) == ("skipped", "No e-mail address.")


@pytest.mark.parametrize("type_, sql", [
    ("revoked", "UPDATE invitation_tokens_v1 SET state = %(state)s WHERE invitation_id = %(invitation_id)s"),
    ("expired", "UPDATE invitation_tokens_v1 SET state = %(state)s WHERE invitation_id = %(invitation_id)s"),
    ("accepted", "UPDATE invitation_tokens_v1 SET state = %(state)s WHERE invitation_id = %(invitation_id)s"),
])
def test_identity_marks_every_link_of_an_ended_invitation(type_, sql):
    [statement] = TOKENS.statements_for(event(f"portico.invitations.invitation.{type_}", invitation_id=IID,
                                              customer_id=CID))
    assert (statement.sql, statement.params["state"]) == (sql, type_)


def test_identity_keeps_a_resent_invitations_new_link_and_marks_the_old_ones_replaced():
    data = dict(invitation_id=IID, customer_id=CID, customer_code="ACME01", token_hash="c" * 64,
                expires_at="2026-12-12T00:00:00+00:00")
    replaced, added = TOKENS.statements_for(event("portico.invitations.invitation.resent", **data))
    assert replaced.sql == ("UPDATE invitation_tokens_v1 SET replaced = true WHERE invitation_id = %(invitation_id)s"
                            " AND token_hash <> %(token_hash)s")
    assert added.sql.startswith("INSERT INTO invitation_tokens_v1 (tenant_id, token_hash, invitation_id,")
    assert added.params["token_hash"] == "c" * 64
    [used] = TOKENS.statements_for(event("portico.identity.user.registered", **REGISTERED))
    assert used.params == {"at": AT, "invitation_id": IID}
