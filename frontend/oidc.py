"""The portal logs in as any other OpenID Connect client of its tenant would: Authlib's Flask client, the
authorization code flow with PKCE (a public client: no secret), refresh tokens rotated at the token
endpoint, and logout through the provider's end-session endpoint. Nothing here is Portico's own API."""
from __future__ import annotations

from urllib.parse import urlencode

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.flask_client import OAuth
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app, url_for

from . import api

NAME = "identity"


def issuer(app) -> str:
    return f"{app.config['IDENTITY_URL'].rstrip('/')}/v1/tenants/{app.config['TENANT']}"


def registration(site: str, client_id: str = "portal") -> dict:
    """How this portal is registered at identity (the documented clients API's body): a public client whose
    addresses are its callback, the page after logout and its sign-up page, under `site`."""
    return {"client_id": client_id, "name": "the customer portal", "client_type": "public",
            "redirect_uris": [f"{site}/oidc/callback"], "post_logout_redirect_uris": [f"{site}/logged-out"],
            "sign_up_uri": f"{site}/register"}


def init_app(app) -> None:
    """Register the tenant's provider from its discovery document (read at the first login)."""
    oauth = OAuth(app)
    oauth.register(NAME, client_id=app.config["CLIENT_ID"],
                   server_metadata_url=f"{issuer(app)}/.well-known/openid-configuration",
                   client_kwargs={"scope": "openid profile", "code_challenge_method": "S256",
                                  "token_endpoint_auth_method": "none", "timeout": app.config["API_TIMEOUT"]})
    app.extensions["portal_oidc"] = oauth


def _client():
    return current_app.extensions["portal_oidc"].create_client(NAME)


def _metadata() -> dict:
    try:
        return _client().load_server_metadata()
    except Exception as error:  # requests' and Authlib's: the provider does not answer its discovery
        raise api.ServiceUnavailable(503, "service.unreachable",
                                     "The login service does not answer just now. Try again in a moment.") from error


def start():
    """Redirect the browser to the provider's login page (state, nonce and the PKCE verifier kept in the session)."""
    _metadata()
    return _client().authorize_redirect(url_for("portal_account.callback", _external=True))


def finish() -> dict:
    """The tokens for the code the provider sent back, the ID token checked (signature, issuer, audience, nonce):
    its claims are under `userinfo`. OAuthError when the login did not finish."""
    _metadata()
    return _client().authorize_access_token()


def refresh(refresh_token: str) -> dict | None:
    """New tokens for the refresh token (which is spent: the answer carries its successor), None if refused."""
    session = OAuth2Session(current_app.config["CLIENT_ID"], token_endpoint_auth_method="none",
                            timeout=current_app.config["API_TIMEOUT"])
    try:
        return dict(session.refresh_token(_metadata()["token_endpoint"], refresh_token=refresh_token))
    except (OAuthError, api.ApiProblem, OSError, ValueError):
        return None
    finally:
        session.close()


def end_session_url(id_token: str, after: str) -> str:
    """Where the browser goes to log out at the provider, coming back to `after` (a registered address)."""
    return _metadata()["end_session_endpoint"] + "?" + urlencode({"id_token_hint": id_token,
                                                                  "post_logout_redirect_uri": after})


def end_session(id_token: str) -> None:
    """End the provider's session from here (no browser): for a login this site does not keep."""
    try:
        requests.get(_metadata()["end_session_endpoint"], params={"id_token_hint": id_token},
                     timeout=current_app.config["API_TIMEOUT"])
    except (requests.RequestException, api.ApiProblem):
        pass  # its refresh token is forgotten here anyway


def user_of(claims: dict) -> dict:
    """Who logged in, from the ID token's claims, in the shape the pages read."""
    return {"user_id": claims.get("sub"), "username": claims.get("preferred_username"),
            "user_type": claims.get("user_type"), "kind": claims.get("kind"), "areas": claims.get("areas") or [],
            "roles": [], "name": claims.get("name"), "customer_code": claims.get("customer_code"),
            "sales_rep": claims.get("sales_rep")}
