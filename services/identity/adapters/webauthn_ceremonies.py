"""Passkeys' two WebAuthn ceremonies, from the `webauthn` library: options for the browser, and the check of
what the authenticator answered. Portico keeps the public key and the signature counter; nothing secret.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import webauthn
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (AuthenticatorSelectionCriteria, PublicKeyCredentialDescriptor,
                                      ResidentKeyRequirement, UserVerificationRequirement)


@dataclass(frozen=True)
class Site:
    """Where the ceremony happens: the relying party's id (the host) and the page's origin."""
    rp_id: str
    origin: str
    name: str


@dataclass(frozen=True)
class NewPasskey:
    credential_id: bytes
    public_key: bytes
    sign_count: int


def registration_options(site: Site, user_id: bytes, username: str, existing: list[bytes]) -> tuple[str, bytes]:
    """The options for navigator.credentials.create() as JSON, and their challenge to keep."""
    options = webauthn.generate_registration_options(
        rp_id=site.rp_id, rp_name=site.name, user_name=username, user_id=user_id,
        exclude_credentials=[PublicKeyCredentialDescriptor(id=c) for c in existing],
        authenticator_selection=AuthenticatorSelectionCriteria(resident_key=ResidentKeyRequirement.PREFERRED,
                                                               user_verification=UserVerificationRequirement.PREFERRED))
    return webauthn.options_to_json(options), options.challenge


def authentication_options(site: Site, credential_ids: list[bytes]) -> tuple[str, bytes]:
    """The options for navigator.credentials.get() as JSON, and their challenge to keep."""
    options = webauthn.generate_authentication_options(
        rp_id=site.rp_id, allow_credentials=[PublicKeyCredentialDescriptor(id=c) for c in credential_ids])
    return webauthn.options_to_json(options), options.challenge


def registered(site: Site, credential_json: str, challenge: bytes) -> NewPasskey | None:
    """The new passkey an attestation proves, or None if it does not (wrong challenge, origin, data)."""
    try:
        verified = webauthn.verify_registration_response(credential=credential_json, expected_challenge=challenge,
                                                         expected_rp_id=site.rp_id, expected_origin=site.origin)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return None
    return NewPasskey(verified.credential_id, verified.credential_public_key, verified.sign_count)


def credential_id(credential_json: str) -> bytes | None:
    """The id of the credential an assertion names, to look its public key up; None if unreadable."""
    try:
        return base64url_to_bytes(json.loads(credential_json)["rawId"])
    except (ValueError, KeyError, TypeError):
        return None


def asserted(site: Site, credential_json: str, challenge: bytes, public_key: bytes, sign_count: int) -> int | None:
    """The authenticator's new signature count if the assertion is right, else None. A counter that does not
    grow (a cloned authenticator) is refused by the library."""
    try:
        verified = webauthn.verify_authentication_response(
            credential=credential_json, expected_challenge=challenge, expected_rp_id=site.rp_id,
            expected_origin=site.origin, credential_public_key=public_key, credential_current_sign_count=sign_count)
    except (WebAuthnException, ValueError, KeyError, TypeError):
        return None
    return verified.new_sign_count
