"""Every projection that keeps people's values answers their forgotten event with a marker row for their
kind of person only (issue 17); the statement itself runs against the database in test_set_apply."""
import uuid
from datetime import datetime, timezone

import pytest

from documents.adapters.projections import PROJECTIONS as DOCUMENTS
from eventkit.envelope import StoredEvent
from eventkit.forgetting import FORGOTTEN_EVENT
from identity.adapters.projections import PROJECTIONS as IDENTITY
from invitations.adapters.projections import PROJECTIONS as INVITATIONS
from notifications.adapters.projections import PROJECTIONS as NOTIFICATIONS

FORGETTING = {"identity.customers.v1": "customer", "notifications.customers.v1": "customer",
              "notifications.users.v1": "user", "notifications.mailings.v1": "both",
              "documents.customers.v1": "customer", "invitations.candidates.v1": "customer",
              "invitations.history.v1": "customer", "invitations.unapproved_usernames.v1": "user"}
ALL = {p.name: p for p in IDENTITY + NOTIFICATIONS + DOCUMENTS + INVITATIONS}


def forgotten(kind: str) -> StoredEvent:
    subject_id = str(uuid.uuid4())
    return StoredEvent(position=1, stream_id=f"customer-{subject_id}", stream_type="customer", stream_version=9,
                       id=uuid.uuid4(), type=FORGOTTEN_EVENT, version=1, tenant_id="demo",
                       occurred_at=datetime.now(timezone.utc), actor="admin", correlation_id=uuid.uuid4(),
                       causation_id=None, traceparent=None,
                       data={"subject": f"{kind}-{subject_id}", "subject_kind": kind, "subject_id": subject_id,
                             "customer_id": None, "reason": "asked", "forgotten_by": "admin"})


def test_exactly_the_projections_holding_peoples_values_handle_the_forgotten_event():
    assert {name for name, p in ALL.items() if p.handles(FORGOTTEN_EVENT)} == set(FORGETTING)


@pytest.mark.parametrize("name", sorted(FORGETTING))
@pytest.mark.parametrize("kind", ["customer", "user", "contact"])
def test_a_forgotten_person_of_the_projections_kind_gets_its_marker_row(name, kind):
    event = forgotten(kind)
    rows = ALL[name].rows_for(event)
    wanted = FORGETTING[name] in (kind, "both") and kind != "contact"
    assert bool(rows) == wanted
    for row in rows:
        assert row.values["subject_id"] == event.data["subject_id"] and row.values["tenant_id"] == "demo"
        assert "[forgotten]" in row.statement.sql or "'{}'" in row.statement.sql
