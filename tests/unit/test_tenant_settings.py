"""Tenant settings decide the right events (unit tier: a fake unit of work)."""
import uuid

import pytest

import contracts
from eventkit.envelope import Metadata, StoredEvent, now
from eventkit.errors import ConcurrencyConflict
from eventkit.testing import FakeUnitOfWork
from identity.domain.commands import ChangeSettings
from identity.domain.settings import SETTINGS_CHANGED, TenantSettings
from identity.service_layer.settings import change_settings, get_settings

META = Metadata(tenant_id="demo", actor="admin-1")


@pytest.fixture
def uow():
    return FakeUnitOfWork(contracts.catalogue())


def test_a_new_tenant_allows_personal_accounts_and_keeps_reps_from_creating_users(uow):
    settings = get_settings("demo", uow)
    assert settings.allow_personal_account_registration is True
    assert settings.allow_sales_reps_to_create_users is False
    assert settings.version == 0


def test_a_change_carries_only_the_settings_that_changed_and_who_changed_them(uow):
    changed = change_settings(ChangeSettings(META, {"allow_personal_account_registration": False,
                                                    "allow_sales_reps_to_create_users": False}), uow)
    [event] = uow.appended
    assert event.type == "portico.identity.tenant.settings_changed"
    assert event.data == {"changes": {"allow_personal_account_registration": False}}
    assert event.actor == "admin-1" and event.stream_id == "settings-demo"
    assert changed.allow_personal_account_registration is False and changed.version == 1


def test_setting_the_same_values_again_writes_nothing(uow):
    change_settings(ChangeSettings(META, {"allow_sales_reps_to_create_users": True}), uow)
    change_settings(ChangeSettings(META, {"allow_sales_reps_to_create_users": True}), uow)
    assert len(uow.appended) == 1
    assert get_settings("demo", uow).allow_sales_reps_to_create_users is True


def test_a_stale_expected_version_is_refused(uow):
    change_settings(ChangeSettings(META, {"allow_sales_reps_to_create_users": True}), uow)
    with pytest.raises(ConcurrencyConflict):
        change_settings(ChangeSettings(META, {"allow_sales_reps_to_create_users": False}, expected_version=0), uow)


def test_tenants_have_settings_of_their_own(uow):
    change_settings(ChangeSettings(META, {"allow_personal_account_registration": False}), uow)
    assert get_settings("other", uow).allow_personal_account_registration is True


def test_the_bulletin_is_set_and_cleared_with_when_in_a_v3_event(uow):
    change_settings(ChangeSettings(META, {"bulletin": "Welcome to the Acme portal!"}), uow)
    cleared = change_settings(ChangeSettings(META, {"bulletin": None}), uow)
    set_event, cleared_event = uow.appended
    assert (set_event.version, set_event.data) == (3, {"changes": {"bulletin": "Welcome to the Acme portal!"}})
    assert cleared_event.data == {"changes": {"bulletin": None}}
    assert cleared.bulletin is None and cleared.bulletin_updated_at == cleared_event.occurred_at


def test_a_v1_settings_event_reads_as_the_latest_without_touching_the_bulletin():
    catalogue = contracts.catalogue()
    v1 = StoredEvent(position=3, stream_id="settings-demo", stream_type="settings", stream_version=1,
                     id=uuid.uuid4(), type=SETTINGS_CHANGED, version=1, tenant_id="demo", occurred_at=now(),
                     actor="admin-1", correlation_id=uuid.uuid4(), causation_id=None, traceparent=None,
                     data={"changes": {"allow_sales_reps_to_create_users": True}}, source="/portico/identity")
    read = catalogue.read(v1)
    assert (read.version, read.data) == (3, {"changes": {"allow_sales_reps_to_create_users": True}})
    settings = TenantSettings.from_events([v1])
    assert settings.allow_sales_reps_to_create_users is True
    assert (settings.bulletin, settings.bulletin_updated_at, settings.version) == (None, None, 1)
