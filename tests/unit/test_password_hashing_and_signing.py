"""argon2id hashing and EdDSA signing, the two adapters login stands on."""
from datetime import datetime, timedelta, timezone

import jwt
import pytest

from identity.adapters.password_hasher import PasswordHasher
from identity.adapters.signing import TokenSigner, generate_signing_key

CHEAP = (1, 8 * 1024, 1)


def test_argon2id_verifies_the_right_password_only_and_never_a_missing_hash():
    hasher = PasswordHasher(*CHEAP)
    digest = hasher.hash("correct horse battery")
    assert digest.startswith("$argon2id$") and "correct" not in digest
    assert hasher.verify(digest, "correct horse battery")
    assert not hasher.verify(digest, "wrong horse battery")
    assert not hasher.verify(None, "decoy password nobody has")  # the decoy's own password opens nothing


def test_a_hash_made_at_another_cost_is_due_for_rehashing():
    old = PasswordHasher(*CHEAP).hash("correct horse battery")
    assert PasswordHasher(5, 7 * 1024, 1).needs_rehash(old)
    assert not PasswordHasher(*CHEAP).needs_rehash(old)


def test_tokens_verify_with_the_published_public_key_only_for_the_right_audience():
    signer = TokenSigner(generate_signing_key(), "urn:portico:identity", "portico", timedelta(minutes=5))
    now = datetime.now(timezone.utc)  # not at import: a long suite would outlive the token
    token = signer.issue("user-1", {"tenant": "demo"}, now)
    [public] = signer.jwks()["keys"]
    assert "d" not in public and public["kid"] == jwt.get_unverified_header(token)["kid"]
    key = jwt.PyJWK(public).key
    assert jwt.decode(token, key, algorithms=["EdDSA"], audience="portico")["tenant"] == "demo"
    with pytest.raises(jwt.InvalidAudienceError):
        jwt.decode(token, key, algorithms=["EdDSA"], audience="elsewhere")
    with pytest.raises(jwt.ExpiredSignatureError):
        signer.verify(signer.issue("user-1", {}, now - timedelta(minutes=10)))


def test_a_signing_key_that_is_not_an_ed25519_private_jwk_is_refused_at_start():
    public_only = {k: v for k, v in generate_signing_key().items() if k != "d"}
    with pytest.raises(ValueError, match="Ed25519 private JWK"):
        TokenSigner(public_only, "iss", "aud", timedelta(minutes=5))
