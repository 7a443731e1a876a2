"""eventkit.auth: identity's access tokens verified with its published key set, fetched and cached."""
import json
from datetime import datetime, timedelta, timezone

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

from eventkit.auth import JwksVerifier

ISSUER, AUDIENCE = "urn:portico:identity", "portico"


def key(kid: str):
    private = Ed25519PrivateKey.generate()
    public = {**json.loads(OKPAlgorithm.to_jwk(private.public_key())), "kid": kid, "alg": "EdDSA", "use": "sig"}
    return private, public


def token(private, kid: str, **claims) -> str:
    now = datetime.now(timezone.utc)
    payload = {"iss": ISSUER, "aud": AUDIENCE, "sub": "u1", "iat": now, "exp": now + timedelta(minutes=5),
               "jti": "j1", "client_id": "portico-login", "tenant": "demo", **claims}
    payload = {k: v for k, v in payload.items() if v is not None}
    return jwt.encode(payload, private, algorithm="EdDSA", headers={"kid": kid})


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now


def test_a_token_signed_with_a_published_key_gives_its_claims():
    private, public = key("k1")
    verifier = JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE)
    assert verifier.verify(token(private, "k1", sales_rep="rep-7"))["sales_rep"] == "rep-7"


@pytest.mark.parametrize("claims, error", [
    ({"exp": datetime.now(timezone.utc) - timedelta(minutes=1)}, jwt.ExpiredSignatureError),
    ({"aud": "someone-else"}, jwt.InvalidAudienceError),
    ({"iss": "urn:elsewhere"}, jwt.InvalidIssuerError),
])
def test_expired_foreign_audience_and_foreign_issuer_are_refused(claims, error):
    private, public = key("k1")
    with pytest.raises(error):
        JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE).verify(token(private, "k1", **claims))


@pytest.mark.parametrize("claim", ["client_id", "jti"])
def test_a_token_without_the_claims_rfc_9068_requires_is_refused(claim):
    private, public = key("k1")
    with pytest.raises(jwt.MissingRequiredClaimError):
        JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE).verify(token(private, "k1", **{claim: None}))


def test_a_token_signed_with_another_key_is_refused():
    _, public = key("k1")
    impostor, _ = key("k1")
    with pytest.raises(jwt.InvalidSignatureError):
        JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE).verify(token(impostor, "k1"))


def test_the_key_set_is_cached_and_fetched_again_for_a_new_key_at_most_every_refetch_interval():
    old, old_public = key("k1")
    new, new_public = key("k2")
    published, fetches, clock = {"keys": [old_public]}, [], Clock()

    def fetch():
        fetches.append(clock.now)
        return published

    verifier = JwksVerifier(fetch, ISSUER, AUDIENCE, cache_seconds=300, refetch_seconds=30, clock=clock)
    verifier.verify(token(old, "k1"))
    verifier.verify(token(old, "k1"))
    assert fetches == [0.0]
    published = {"keys": [old_public, new_public]}  # identity rotated its key
    clock.now = 10
    with pytest.raises(jwt.InvalidTokenError):
        verifier.verify(token(new, "k2"))  # too soon after the last fetch: a flood of unknown kids is cheap
    clock.now = 31
    assert verifier.verify(token(new, "k2"))["sub"] == "u1"
    assert fetches == [0.0, 31]
