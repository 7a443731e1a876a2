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


def _counting_signature_checks(monkeypatch) -> list[str]:
    checked, decode = [], jwt.decode

    def counted(token, *args, **kwargs):
        checked.append(token)
        return decode(token, *args, **kwargs)
    monkeypatch.setattr(jwt, "decode", counted)
    return checked


def test_a_token_used_again_is_not_checked_again_and_its_claims_are_the_callers_to_change(monkeypatch):
    checked = _counting_signature_checks(monkeypatch)
    private, public = key("k1")
    verifier, portal_token = JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE), token(private, "k1", areas=["quotes"])
    verifier.verify(portal_token)["areas"].append("invoices")
    assert verifier.verify(portal_token)["areas"] == ["quotes"]
    assert checked == [portal_token]
    at = len(portal_token) - 10  # inside the signature, where every character carries six of its bits
    tampered = portal_token[:at] + ("A" if portal_token[at] != "A" else "B") + portal_token[at + 1:]
    with pytest.raises(jwt.InvalidSignatureError):
        verifier.verify(tampered)  # other text, checked on its own


def test_a_remembered_token_is_refused_once_it_expires():
    private, public = key("k1")
    wall = Clock()
    wall.now = datetime.now(timezone.utc).timestamp()
    verifier = JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE, leeway=5, wall_clock=wall)
    short = token(private, "k1", exp=datetime.fromtimestamp(int(wall.now) + 60, timezone.utc))
    verifier.verify(short)
    wall.now = int(wall.now) + 64
    assert verifier.verify(short)["sub"] == "u1"  # within the leeway, as PyJWT counts it
    wall.now += 1
    with pytest.raises(jwt.ExpiredSignatureError):
        verifier.verify(short)


@pytest.mark.parametrize("new_kid, refusal", [
    ("k2", jwt.InvalidTokenError),  # the old key withdrawn, a new one published
    ("k1", jwt.InvalidSignatureError),  # the key replaced under the same id
])
def test_a_remembered_token_is_refused_once_the_key_that_signed_it_is_no_longer_published(new_kid, refusal):
    old, old_public = key("k1")
    _, new_public = key(new_kid)
    published, clock = {"keys": [old_public]}, Clock()
    verifier = JwksVerifier(lambda: published, ISSUER, AUDIENCE, cache_seconds=300, clock=clock)
    signed_with_old = token(old, "k1")
    verifier.verify(signed_with_old)
    published = {"keys": [new_public]}
    assert verifier.verify(signed_with_old)["sub"] == "u1"  # until the key set is fetched again, as before
    clock.now = 301
    with pytest.raises(refusal):
        verifier.verify(signed_with_old)


def test_only_the_most_recently_used_tokens_are_remembered(monkeypatch):
    checked = _counting_signature_checks(monkeypatch)
    private, public = key("k1")
    verifier = JwksVerifier({"keys": [public]}, ISSUER, AUDIENCE, remembered=2)
    first, second, third = (token(private, "k1", jti=f"j{n}") for n in range(3))
    for used in (first, second, first, third, first, second):
        verifier.verify(used)
    assert checked == [first, second, third, second]  # third pushed out second, the least recently used
