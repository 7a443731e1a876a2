"""Tenant settings decide the right events (unit tier: a fake unit of work)."""
import pytest

import contracts
from eventkit.envelope import Metadata
from eventkit.errors import ConcurrencyConflict
from eventkit.testing import FakeUnitOfWork
from identity.domain.commands import ChangeSettings
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
