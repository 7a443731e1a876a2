"""Second factors' rules without a database (issue 19): TOTP codes and their replay, recovery codes, the
tenant's policy, the user's factors folded from its events, the sealed secret."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pyotp
import pytest
from cryptography.exceptions import InvalidTag

from eventkit.envelope import StoredEvent
from identity.adapters.secret_box import SecretBox
from identity.adapters.signing import generate_signing_key
from identity.domain import second_factors
from identity.domain.user import User

NOW = datetime(2026, 12, 1, 15, 0, 10, tzinfo=timezone.utc)
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
STEP = int(NOW.timestamp()) // 30


def _code(at: datetime) -> str:
    return pyotp.TOTP(SECRET).at(at)


@pytest.mark.parametrize("code, last_step, step", [
    (_code(NOW), None, STEP),
    (_code(NOW - timedelta(seconds=30)), None, STEP - 1),  # a phone's clock a step behind
    (_code(NOW + timedelta(seconds=30)), None, STEP + 1),
    (_code(NOW - timedelta(seconds=90)), None, None),  # too old
    (_code(NOW), STEP, None),  # used already (RFC 6238 5.2)
    (_code(NOW), STEP - 1, STEP),
    (" ".join([_code(NOW)[:3], _code(NOW)[3:]]), None, STEP),  # typed with a space
    ("12345", None, None), ("abcdef", None, None), ("", None, None),
])
def test_a_totp_code_counts_once_within_a_step_either_side(code, last_step, step):
    assert second_factors.totp_step(SECRET, code, NOW, last_step) == step


def test_recovery_codes_are_ten_different_80_bit_codes_read_in_any_case_and_without_dashes():
    codes = second_factors.new_recovery_codes()
    assert len(set(codes)) == 10 and all(len(c) == 19 and c.count("-") == 3 for c in codes)
    assert second_factors.normal_recovery_code(f" {codes[0].upper()} ") == codes[0].replace("-", "")


@pytest.mark.parametrize("policy, user_type, required", [
    ("optional", "staff", False), ("optional", "portal", False),
    ("required_for_staff", "staff", True), ("required_for_staff", "portal", False),
    ("required_for_everyone", "staff", True), ("required_for_everyone", "portal", True),
])
def test_the_policy_says_who_must_have_a_second_factor(policy, user_type, required):
    user = User(uuid.uuid4(), "ada", user_type)
    assert second_factors.required(policy, user) is required


def _event(version: int, type_: str, data: dict) -> StoredEvent:
    return StoredEvent(version, "user-1", "user", version, uuid.uuid4(), type_, 1, "demo", NOW, "ada",
                       uuid.uuid4(), None, None, data)


def test_the_users_factors_follow_its_enrolment_and_removal_events():
    user_id = str(uuid.uuid4())
    ref = {"user_id": user_id, "username": "ada", "user_type": "staff"}
    created = {**ref, "name": "Ada", "emails": [], "roles": ["in-house"], "sales_rep": None,
               "password_setup": "initial_password"}
    history = [_event(1, "portico.identity.staff_user.created", created)]
    user = User.from_events(history)
    [enrolled] = second_factors.enrolled(user, "totp")
    history += [_event(2, enrolled.type, enrolled.data),
                _event(3, "portico.identity.user.second_factor_enrolled", {**ref, "method": "passkey"})]
    assert User.from_events(history).second_factors == {"totp", "passkey"}
    [removed] = second_factors.removed(User.from_events(history), "totp", "user")
    history.append(_event(4, removed.type, removed.data))
    assert User.from_events(history).second_factors == {"passkey"}
    assert second_factors.removed(User.from_events(history), "totp", "user") == []  # nothing left to remove


def test_a_sealed_totp_secret_opens_only_with_its_key_and_for_its_user():
    key = generate_signing_key()
    box = SecretBox(key)
    sealed = box.seal(SECRET, "demo/user-1")
    assert SECRET.encode() not in sealed and box.open(sealed, "demo/user-1") == SECRET
    with pytest.raises(InvalidTag):
        box.open(sealed, "demo/user-2")
    with pytest.raises(InvalidTag):
        SecretBox(generate_signing_key()).open(sealed, "demo/user-1")
