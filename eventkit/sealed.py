"""Sealed values: a secret put in an event so that only one service can read it.

A one-time link token must reach the notifications service without lying in plain text on Kafka,
in the event store or in a log. The producer seals it with the recipient's public key using
HPKE (RFC 9180, base mode: DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM); only the holder
of the private key opens it. The `context` (e.g. "portico.identity.set-password") is bound into the
key schedule, so a value sealed for one purpose does not open for another.

Text form: `v1.<key id>.<base64url(enc || ciphertext)>`; the key id (the first 8 bytes of the
public key's SHA-256) lets a recipient hold several keys while they are rotated.
Keys are base64url text: `python -m eventkit.sealed keygen` prints a new pair.
"""
from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Mapping

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.hpke import AEAD, KDF, KEM, Suite

VERSION = "v1"
PATTERN = r"^v1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$"
_SUITE = Suite(KEM.X25519, KDF.HKDF_SHA256, AEAD.AES_256_GCM)
_RAW = serialization.Encoding.Raw


class SealError(ValueError):
    """A sealed value that is malformed, sealed for another key or context, or tampered with."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def key_id(public_key: str) -> str:
    return _b64(hashlib.sha256(_unb64(public_key)).digest()[:8])


def generate_key_pair() -> dict[str, str]:
    """A new key pair as text: {"private_key": ..., "public_key": ...}."""
    private = X25519PrivateKey.generate()
    raw = private.private_bytes(_RAW, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    return {"private_key": _b64(raw), "public_key": public_key_of(_b64(raw))}


def public_key_of(private_key: str) -> str:
    public = X25519PrivateKey.from_private_bytes(_unb64(private_key)).public_key()
    return _b64(public.public_bytes(_RAW, serialization.PublicFormat.Raw))


def seal(plaintext: str, public_key: str, context: str) -> str:
    """Encrypt for the holder of the private key matching `public_key`."""
    recipient = X25519PublicKey.from_public_bytes(_unb64(public_key))
    sealed = _SUITE.encrypt(plaintext.encode(), recipient, info=context.encode())
    return f"{VERSION}.{key_id(public_key)}.{_b64(sealed)}"


@lru_cache(maxsize=16)
def _opener(private_key: str) -> tuple[X25519PrivateKey, str]:
    """The private key as an object, with its key id: made once per key, not once per value opened (the
    sender opens every e-mail's link token, and remaking the key and its public half was over half of that).
    A configured key that is not one raises ValueError, as before: an outage of the sender, not a value that
    does not open (SealError), which would fail every e-mail for good."""
    return X25519PrivateKey.from_private_bytes(_unb64(private_key)), key_id(public_key_of(private_key))


def open_sealed(value: str, private_keys: str | list[str] | Mapping[str, str], context: str) -> str:
    """Decrypt with whichever of the recipient's private keys the value was sealed for."""
    try:
        version, kid, body = value.split(".")
    except (AttributeError, ValueError):
        raise SealError("not a sealed value") from None
    if version != VERSION:
        raise SealError(f"unsupported sealed version {version!r}")
    keys = [private_keys] if isinstance(private_keys, str) else list(
        private_keys.values() if isinstance(private_keys, Mapping) else private_keys)
    for private_key in keys:
        private, private_kid = _opener(private_key)
        if private_kid == kid:
            try:
                return _SUITE.decrypt(_unb64(body), private, info=context.encode()).decode()
            except (InvalidTag, ValueError) as error:
                raise SealError("the sealed value does not open with this key and context") from error
    raise SealError(f"no private key with id {kid}")


def main(argv=None) -> None:
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m eventkit.sealed",
                                     description="Make a key pair for sealed values.")
    parser.add_argument("command", choices=["keygen"])
    parser.add_argument("--format", choices=["json", "env"], default="env")
    args = parser.parse_args(argv)
    pair = generate_key_pair()
    if args.format == "json":
        print(json.dumps(pair))
    else:
        print(f"SEALED_PRIVATE_KEY={pair['private_key']}\nSEALED_PUBLIC_KEY={pair['public_key']}")


if __name__ == "__main__":
    main()
