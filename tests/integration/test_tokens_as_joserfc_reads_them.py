"""Access tokens as a library the services do not use reads them (joserfc; the services sign with PyJWT):
the signature verifies against the served JWKS, and the header and claims are RFC 9068's."""
from __future__ import annotations

import time

import pytest
from joserfc import jwt
from joserfc.errors import BadSignatureError
from joserfc.jwk import KeySet

from .users_helpers import active_user, log_in


def test_an_access_token_verifies_against_the_jwks_and_carries_rfc_9068_s_claims(identity, staff_headers, tenant):
    active_user(identity, tenant, staff_headers(tenant))
    token = log_in(identity, tenant).json["access_token"]
    keys = KeySet.import_key_set(identity.get("/.well-known/jwks.json").json)

    read = jwt.decode(token, keys, algorithms=["EdDSA"])

    assert read.header["typ"] == "at+jwt" and read.header["kid"] in {key.kid for key in keys}
    claims = jwt.JWTClaimsRegistry(now=int(time.time()), leeway=60, iss={"essential": True},
                                   aud={"essential": True}, sub={"essential": True}, exp={"essential": True},
                                   iat={"essential": True}, jti={"essential": True},
                                   client_id={"essential": True, "value": "portico-login"})
    claims.validate(read.claims)
    header, payload, signature = token.split(".")
    with pytest.raises(BadSignatureError):
        jwt.decode(".".join([header, payload, signature[::-1]]), keys, algorithms=["EdDSA"])
