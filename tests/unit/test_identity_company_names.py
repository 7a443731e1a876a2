"""Identity's projection of the company name its login pages are headed with: an event in, the rows out."""
import uuid
from datetime import datetime, timezone

import pytest

from eventkit.envelope import StoredEvent
from identity.adapters.projections import company_names


def settings_changed(changes: dict) -> StoredEvent:
    return StoredEvent(1, "s-1", "s", 1, uuid.uuid4(), "portico.invitations.settings.changed", 1, "demo",
                       datetime(2026, 1, 15, tzinfo=timezone.utc), "staff", uuid.uuid4(), None, None,
                       {"changes": changes})


def test_a_company_name_set_in_the_invitation_settings_becomes_the_tenants_row():
    [row] = company_names.PROJECTION.rows_for(settings_changed({"company_name": "Northwind Supply"}))
    assert row.statement is company_names.NAMED and row.values == {"tenant_id": "demo",
                                                                   "company_name": "Northwind Supply"}


@pytest.mark.parametrize("changes", [{"invitation_validity_days": 14}, {"company_name": None}, {"company_name": ""}])
def test_other_settings_and_no_name_change_nothing(changes):
    assert company_names.PROJECTION.rows_for(settings_changed(changes)) == []
