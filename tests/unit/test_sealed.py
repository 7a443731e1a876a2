"""Sealed values: only the holder of the private key opens them, and only for the same context."""
import re
import subprocess
import sys
from pathlib import Path

import pytest

from eventkit import sealed

CONTEXT = "portico.identity.set-password"


@pytest.fixture(scope="module")
def pair():
    return sealed.generate_key_pair()


def test_a_sealed_value_opens_with_the_private_key_and_context(pair):
    value = sealed.seal("s3cret-token", pair["public_key"], CONTEXT)
    assert re.match(sealed.PATTERN, value)
    assert "s3cret-token" not in value
    assert sealed.open_sealed(value, pair["private_key"], CONTEXT) == "s3cret-token"


def test_sealing_twice_gives_different_text(pair):
    assert sealed.seal("x", pair["public_key"], CONTEXT) != sealed.seal("x", pair["public_key"], CONTEXT)


def test_another_context_does_not_open_it(pair):
    value = sealed.seal("token", pair["public_key"], CONTEXT)
    with pytest.raises(sealed.SealError):
        sealed.open_sealed(value, pair["private_key"], "portico.identity.password-reset")


def test_another_key_does_not_open_it(pair):
    value = sealed.seal("token", pair["public_key"], CONTEXT)
    with pytest.raises(sealed.SealError, match="no private key"):
        sealed.open_sealed(value, sealed.generate_key_pair()["private_key"], CONTEXT)


def test_a_tampered_value_is_refused(pair):
    value = sealed.seal("token", pair["public_key"], CONTEXT)
    flipped = value[:-2] + ("A" if value[-2] != "A" else "B") + value[-1]
    with pytest.raises(sealed.SealError):
        sealed.open_sealed(flipped, pair["private_key"], CONTEXT)
    with pytest.raises(sealed.SealError):
        sealed.open_sealed("not sealed", pair["private_key"], CONTEXT)


def test_a_recipient_holding_old_and_new_keys_opens_both(pair):
    new = sealed.generate_key_pair()
    old_value = sealed.seal("old", pair["public_key"], CONTEXT)
    keys = {"2026": pair["private_key"], "2027": new["private_key"]}
    assert sealed.open_sealed(old_value, keys, CONTEXT) == "old"
    assert sealed.open_sealed(sealed.seal("new", new["public_key"], CONTEXT), keys, CONTEXT) == "new"


def test_keygen_prints_a_usable_pair():
    out = subprocess.run([sys.executable, "-m", "eventkit.sealed", "keygen"], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).parents[2]).stdout
    env = dict(line.split("=", 1) for line in out.split())
    assert sealed.public_key_of(env["SEALED_PRIVATE_KEY"]) == env["SEALED_PUBLIC_KEY"]
