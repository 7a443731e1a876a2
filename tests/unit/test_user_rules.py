"""User rules decided without a database: areas, usernames, passwords, lockout, who may do what."""
import uuid
from datetime import datetime, timedelta, timezone

import pytest

from identity.domain import areas, passwords, portal_users, usernames
from identity.domain.customer import Customer
from identity.domain.lockout import Failures, LockoutPolicy
from identity.domain.principal import Principal
from identity.domain.settings import TenantSettings
from identity.domain.user import User
from identity.domain.user_errors import Forbidden, InvalidUsername, WeakPassword
from identity.service_layer import policy

NOW = datetime(2026, 11, 28, 12, 0, tzinfo=timezone.utc)
ACME = Customer(uuid.uuid4(), "ACME01", {"sales_rep": "rep-7", "receivable_account": "1200"})


def staff(*roles, rep=None):
    return Principal("demo", "u1", "someone", "staff", frozenset(roles), rep)


@pytest.mark.parametrize("names, expected", [
    (["Quotes", "Sales Orders"], {"quotes", "orders"}),
    (["A/R Statements", "shipments"], {"ar_statements", "shipments"}),
    (["ALL"], {"quotes", "orders", "invoices", "ar_statements", "shipments"}),
])
def test_area_names_as_the_seeds_spell_them(names, expected):
    assert areas.parse(names) == (frozenset(expected), [])


def test_unknown_areas_are_named_and_role_changes_are_the_difference():
    assert areas.parse(["Costs"])[1] == ["Costs"]
    assert areas.role_changes({"quotes", "orders"}, {"orders", "invoices"}) == (["invoices"], ["quotes"])


def test_setting_the_same_areas_again_writes_nothing():
    user = User(uuid.uuid4(), "john", "portal", areas={"quotes"}, details={"own_orders_only": False})
    assert portal_users.set_areas(user, frozenset({"quotes"})) == []
    assert portal_users.set_own_orders_only(user, False) == []
    assert [e.data["area"] for e in portal_users.set_areas(user, frozenset())] == ["quotes"]


def test_usernames_are_unique_case_insensitively_and_suggested_as_firstname_lastname():
    assert usernames.key("JOHN.Smith") == usernames.key("john.smith")
    assert usernames.suggest("Zoë", "O'Brien") == "zoe.o-brien"
    assert usernames.staff_twin("john.smith") == "john.smithS"
    with pytest.raises(InvalidUsername):
        usernames.check("a b")


@pytest.mark.parametrize("password, rule", [
    ("short1!", "at least"), ("x" * 129, "at most"), ("my john.smith pass", "username"),
    ("Password123", "too common"), ("aaaaaaaaaaaa", "too simple"),
])
def test_the_password_policy_names_the_rule_without_repeating_the_password(password, rule):
    with pytest.raises(WeakPassword) as refused:
        passwords.check(password, "john.smith")
    assert rule in str(refused.value) and password not in str(refused.value)


def test_the_fifth_failure_locks_and_the_count_starts_over_after_the_lock():
    policy_ = LockoutPolicy(5, timedelta(minutes=15))
    failures = Failures()
    for _ in range(4):
        failures = failures.after_failure(NOW, policy_)
    assert not failures.locked(NOW)
    locked = failures.after_failure(NOW, policy_)
    assert locked.locked(NOW + timedelta(minutes=14)) and not locked.locked(NOW + timedelta(minutes=15))
    assert locked.after_failure(NOW + timedelta(minutes=16), policy_).count == 1


def test_in_house_users_create_for_anyone_and_reps_for_their_own_when_allowed():
    allowed, forbidden = TenantSettings(allow_sales_reps_to_create_users=True), TenantSettings()
    policy.may_create_user_for(staff("in-house"), ACME, forbidden)
    policy.may_create_user_for(staff("sales-rep", rep="rep-7"), ACME, allowed)
    cases = [(staff("sales-rep", rep="rep-7"), forbidden, "auth.sales_reps_may_not_create_users"),
             (staff("sales-rep", rep="rep-9"), allowed, "auth.customer_of_another_sales_rep"),
             (Principal("demo", "u2", "john", "portal"), allowed, "auth.staff_only")]
    for by, settings, code in cases:
        with pytest.raises(Forbidden) as refused:
            policy.may_create_user_for(by, ACME, settings)
        assert refused.value.code == code


def test_only_a_system_administrator_changes_settings():
    policy.system_administrator_only(staff("system-administrator"))
    with pytest.raises(Forbidden):
        policy.system_administrator_only(staff("in-house"))
