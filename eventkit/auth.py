"""Verify the access tokens the identity service issues, in any service, without calling identity.

Identity signs JWTs with EdDSA and publishes its public keys at /.well-known/jwks.json (RFC 7517).
A service holds that key set for `cache_seconds`. A token naming a key id the set lacks (identity
rotated its key) fetches it again early, but at most once per `refetch_seconds`: tokens with made-up
key ids must not turn every request into a request to identity.

A portal sends the same token with every request for minutes, and checking its signature was the costliest
step of authenticating one (220 µs of a document page's 4.8 ms). A token verified once is remembered, by its
exact text, with its claims: the signature, issuer, audience and required claims of the same bytes cannot
change, and one that was not early then (iat, nbf) is not early now. What can change is checked on every
use all the same: expiry; and the key: once the key set is fetched again (every `cache_seconds`, or for a
new key id), a remembered token is verified afresh against it, so a key withdrawn or replaced under the same
id is noticed exactly as without remembering. At most `remembered` tokens are kept, the least recently used
dropped first.
"""
from __future__ import annotations

import copy
import json
import threading
import time
import urllib.request
from collections import OrderedDict
from typing import Callable, Mapping

import jwt
from flask import request

from .problems import Problem

ALGORITHMS = ["EdDSA"]
_CHALLENGE = 'Bearer realm="portico"'


def fetch_json(url: str, timeout: float = 5.0) -> dict:
    with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (a configured URL)
        return json.load(response)


class JwksVerifier:
    """Checks signature, expiry, issuer and audience of an access token; returns its claims."""

    def __init__(self, jwks: str | Mapping | Callable[[], Mapping], issuer: str, audience: str,
                 cache_seconds: float = 300, refetch_seconds: float = 30, leeway: float = 5,
                 clock: Callable[[], float] = time.monotonic, wall_clock: Callable[[], float] = time.time,
                 remembered: int = 4096):
        if isinstance(jwks, str):
            self._source = lambda: fetch_json(jwks)
        elif isinstance(jwks, Mapping):
            self._source = lambda: jwks
        else:
            self._source = jwks
        self.issuer, self.audience, self.leeway = issuer, audience, leeway
        self.cache_seconds, self.refetch_seconds, self.clock = cache_seconds, refetch_seconds, clock
        self._keys: dict[str, jwt.PyJWK] = {}
        self._fetched_at: float | None = None
        self._lock = threading.Lock()
        self.wall_clock, self.remembered = wall_clock, remembered
        # token -> (the key that verified it, its expiry as PyJWT reads it, its claims), least recently used first
        self._verified: OrderedDict[str, tuple[jwt.PyJWK, int, dict]] = OrderedDict()

    def verify(self, token: str) -> dict:
        """The token's claims; raises jwt.InvalidTokenError (ExpiredSignatureError, ...) if it is not good."""
        with self._lock:
            known = self._verified.get(token)
            if known is not None:
                self._verified.move_to_end(token)
        if known is not None:
            signed_by, expires, claims = known
            current = self._key(signed_by.key_id)
            if current is signed_by and self.wall_clock() < expires + self.leeway:
                return copy.deepcopy(claims)  # the caller's to change; the remembered ones stay as verified
            with self._lock:
                self._verified.pop(token, None)
            if current is signed_by:
                raise jwt.ExpiredSignatureError("Signature has expired")  # PyJWT's words, and its rule
            # the key set was fetched again since (its key withdrawn, or another under the same kid): afresh
        kid = jwt.get_unverified_header(token).get("kid")
        key = self._key(kid)
        if key is None:
            raise jwt.InvalidTokenError(f"no key {kid!r} in the issuer's key set")
        claims = jwt.decode(token, key, algorithms=ALGORITHMS, audience=self.audience, issuer=self.issuer,
                            # RFC 9068 2.2's claims; a token without one is no access token of identity's.
                            options={"require": ["exp", "iat", "sub", "iss", "aud", "jti", "client_id"]},
                            leeway=self.leeway)
        with self._lock:
            self._verified[token] = (key, int(claims["exp"]), copy.deepcopy(claims))
            while len(self._verified) > self.remembered:
                self._verified.popitem(last=False)
        return claims

    def _key(self, kid) -> jwt.PyJWK | None:
        with self._lock:
            now = self.clock()
            stale = self._fetched_at is None or now - self._fetched_at > self.cache_seconds
            unknown = kid not in self._keys and (self._fetched_at is None or
                                                 now - self._fetched_at > self.refetch_seconds)
            if stale or unknown:
                self._keys = {k.key_id: k for k in jwt.PyJWKSet.from_dict(dict(self._source())).keys}
                self._fetched_at = now
            return self._keys.get(kid)


def _unauthorized(code: str, detail: str) -> Problem:
    challenge = f'{_CHALLENGE}, error="invalid_token", error_description="{detail}"'
    return Problem(401, code, "Authentication required", detail, headers={"WWW-Authenticate": challenge})


REVOKED = "This login has ended (logged out, or the account was disabled or deleted): log in again."


def refuse_revoked(session_ended: bool, active: bool = True) -> None:
    """401 `auth.token_revoked` for a good token whose session ended (the `sid` a logout ended) or whose
    user is no longer active, as the calling service's projection of identity's events knows them now:
    a token lives minutes after its user is disabled, deleted or logged out, the projection a moment."""
    if session_ended or not active:
        raise _unauthorized("auth.token_revoked", REVOKED)


def bearer_claims(verifier: JwksVerifier, tenant_id: str) -> dict:
    """The claims of this request's bearer token (RFC 6750), which must belong to the URL's tenant."""
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise Problem(401, "auth.token_missing", "Authentication required",
                      "Send an access token: Authorization: Bearer <token>.",
                      headers={"WWW-Authenticate": _CHALLENGE})
    try:
        claims = verifier.verify(token.strip())
    except jwt.ExpiredSignatureError:
        raise _unauthorized("auth.token_expired", "The access token has expired; refresh it.") from None
    except jwt.PyJWKSetError:
        raise _unauthorized("auth.token_invalid", "The issuer published no usable key.") from None
    except jwt.InvalidTokenError:
        raise _unauthorized("auth.token_invalid", "The access token is not valid here.") from None
    except OSError:
        raise Problem(503, "auth.keys_unavailable", "Try again shortly",
                      "The identity service's public keys could not be fetched.",
                      headers={"Retry-After": "5"}) from None
    if claims.get("tenant") != tenant_id:
        raise Problem(403, "auth.wrong_tenant", "Not allowed", "The access token belongs to another tenant.")
    return claims
