"""Access tokens: JWTs (RFC 7519) signed with EdDSA/Ed25519 (RFC 8037); the public key as a JWKS (RFC 7517).

The private key is a JWK from configuration (JWT_SIGNING_KEY); `python -m identity.entrypoints.admin_cli
signing-key` makes one. Other services verify with the JWKS at /.well-known/jwks.json.
"""
from __future__ import annotations

import base64
import hashlib
import json
import uuid
from datetime import datetime, timedelta

import jwt
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from jwt.algorithms import OKPAlgorithm

ALGORITHM = "EdDSA"


def thumbprint(jwk: dict) -> str:
    """RFC 7638 JWK thumbprint of an OKP key: the key id."""
    canonical = json.dumps({"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":"))
    return base64.urlsafe_b64encode(hashlib.sha256(canonical.encode()).digest()).rstrip(b"=").decode()


def generate_signing_key() -> dict:
    """A new Ed25519 private JWK with its thumbprint as kid."""
    jwk = json.loads(OKPAlgorithm.to_jwk(Ed25519PrivateKey.generate()))
    return {**jwk, "kid": thumbprint(jwk), "alg": ALGORITHM, "use": "sig"}


# RFC 9068 2.2: an access token names the OAuth client it was issued to. Tokens from identity's own
# login API (auth/login, auth/refresh, auth/password) go to Portico's first-party login; a registered
# client passes its own `client_id` among the claims.
FIRST_PARTY_CLIENT_ID = "portico-login"
REQUIRED_CLAIMS = ["exp", "iat", "sub", "iss", "aud", "jti", "client_id"]


class TokenSigner:
    def __init__(self, private_jwk: dict | str, issuer: str, audience: str, ttl: timedelta):
        jwk = json.loads(private_jwk) if isinstance(private_jwk, str) else dict(private_jwk)
        if jwk.get("kty") != "OKP" or jwk.get("crv") != "Ed25519" or "d" not in jwk:
            raise ValueError("JWT_SIGNING_KEY must be an Ed25519 private JWK (kty OKP, crv Ed25519, with d)")
        self.kid = jwk.get("kid") or thumbprint(jwk)
        self.private_jwk = {**jwk, "kid": self.kid}  # OpenID Connect's ID tokens are signed with it too
        self._private = OKPAlgorithm.from_jwk(jwk)
        self._public = self._private.public_key()
        self.issuer, self.audience, self.ttl = issuer, audience, ttl

    def issue(self, subject: str, claims: dict, now: datetime) -> str:
        payload = {"client_id": FIRST_PARTY_CLIENT_ID, **claims, "iss": self.issuer, "aud": self.audience, "sub": subject, "iat": now,
                   "nbf": now, "exp": now + self.ttl, "jti": str(uuid.uuid4())}
        # typ at+jwt: the JWT profile for OAuth 2.0 access tokens (RFC 9068).
        return jwt.encode(payload, self._private, algorithm=ALGORITHM, headers={"kid": self.kid, "typ": "at+jwt"})

    def verify(self, token: str) -> dict:
        """The claims of a token this service signed; raises jwt.InvalidTokenError (ExpiredSignatureError...)."""
        return jwt.decode(token, self._public, algorithms=[ALGORITHM], audience=self.audience, issuer=self.issuer,
                          options={"require": REQUIRED_CLAIMS}, leeway=5)

    @property
    def public_key(self):
        return self._public

    def jwks(self) -> dict:
        public = json.loads(OKPAlgorithm.to_jwk(self._public))
        return {"keys": [{**public, "kid": self.kid, "alg": ALGORITHM, "use": "sig"}]}
