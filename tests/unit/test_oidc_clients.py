"""The OpenID Connect client rules Portico gives Authlib: exact redirect URIs, how each kind authenticates."""
from __future__ import annotations

from identity.adapters.oidc_provider import Client
from identity.adapters.user_tables import digest

ROW = {"client_id": "portal-web", "name": "Portal", "client_type": "confidential", "secret_hash": digest("s3cret"),
       "redirect_uris": ["https://portal.example/cb"], "post_logout_redirect_uris": []}


def test_redirect_uris_match_exactly_never_by_prefix_or_case():
    client = Client(ROW)
    assert client.check_redirect_uri("https://portal.example/cb")
    for other in ("https://portal.example/cb/", "https://portal.example/cb?x=1", "https://PORTAL.example/cb",
                  "https://portal.example/c"):
        assert not client.check_redirect_uri(other), other


def test_a_confidential_client_needs_its_secret_and_a_public_one_none():
    confidential, public = Client(ROW), Client({**ROW, "client_type": "public", "secret_hash": None})
    assert confidential.check_client_secret("s3cret") and not confidential.check_client_secret("guess")
    assert confidential.check_endpoint_auth_method("client_secret_basic", "token")
    assert not confidential.check_endpoint_auth_method("none", "token")
    assert public.check_endpoint_auth_method("none", "token") and not public.check_client_secret("")
    assert not public.check_endpoint_auth_method("client_secret_post", "token")


def test_only_the_scopes_portico_knows_are_granted():
    assert Client(ROW).get_allowed_scope("openid profile email admin") == "openid profile"
