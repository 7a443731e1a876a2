"""Crypto-shredding's cipher (issue 17): a sealed personal value opens only with its subject's key, in its
own field and tenant, and to the marker once the key is gone."""
import os

import pytest

from identity.adapters.subject_keys import FORGOTTEN, KeyWrapper, open_value, seal

KEY = os.urandom(32)


def test_a_sealed_value_opens_with_its_key_and_carries_no_clear_text():
    sealed = seal(KEY, "demo", "contact-1", "phone", "+44 20 7946 0958")
    assert "7946" not in sealed["ciphertext"] and sealed["subject"] == "contact-1"
    assert open_value(KEY, "demo", "phone", sealed) == "+44 20 7946 0958"


@pytest.mark.parametrize("tenant, field, subject", [("other", "phone", "contact-1"), ("demo", "emails", "contact-1"),
                                                    ("demo", "phone", "contact-2")])
def test_a_value_moved_to_another_tenant_field_or_person_does_not_open(tenant, field, subject):
    sealed = {**seal(KEY, "demo", "contact-1", "phone", "+44 20 7946 0958"), "subject": subject}
    with pytest.raises(ValueError, match="does not belong"):
        open_value(KEY, tenant, field, sealed)


def test_without_the_key_every_copy_opens_to_the_marker():
    assert open_value(None, "demo", "phone", seal(KEY, "demo", "contact-1", "phone", "x")) == FORGOTTEN


def test_data_keys_are_wrapped_for_one_subject_only():
    wrapper = KeyWrapper(os.urandom(32))
    wrapped = wrapper.wrap("demo", "user-1", KEY)
    assert KEY not in wrapped and wrapper.unwrap("demo", "user-1", wrapped) == KEY
    with pytest.raises(Exception):
        wrapper.unwrap("demo", "user-2", wrapped)
    with pytest.raises(ValueError):
        KeyWrapper(b"short")
