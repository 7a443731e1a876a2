"""The OpenID Connect provider's protocol, from Authlib's server components: clients, the authorization
code grant with PKCE, refresh tokens, ID tokens. Portico supplies only its storage and its tokens.

Each request's grants work in the view's unit of work (`g.oidc_uow`), so a refusal that must be recorded
(a replayed refresh token ends its session) commits with the error answer: Authlib answers errors, it
does not raise them.
"""
from __future__ import annotations

import hmac
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import grants
from authlib.oauth2.rfc6749.errors import InvalidRequestError
from authlib.oauth2.rfc6749.models import AuthorizationCodeMixin, ClientMixin, TokenMixin
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from flask import g, request

from ..domain.user import User
from ..service_layer import auth as login
from ..service_layer.users import load_user
from .user_tables import digest

SCOPES = ("openid", "profile")
GRANT_TYPES = ("authorization_code", "refresh_token")
CODE_SECONDS = 60


def issuer() -> str:
    """The tenant's issuer: the URL its discovery document is under (OpenID Connect Discovery 4.3)."""
    return f"{request.host_url.rstrip('/')}/v1/tenants/{request.view_args['tenant_id']}"


def user_info(user: User) -> dict:
    """The claims a portal needs about who logged in: for ID tokens and userinfo alike."""
    info = {"sub": str(user.user_id), "preferred_username": user.username, "user_type": user.user_type}
    if user.user_type == "portal":
        d = user.details
        info.update(kind=d["kind"], areas=sorted(user.areas), customer_id=d["customer_id"],
                    customer_code=d["customer_code"], receivable_account=d["receivable_account"],
                    own_orders_only=d["own_orders_only"])
    else:
        info.update(staff_roles=list(user.staff_roles), sales_rep=user.sales_rep)
    return info


@dataclass
class Subject:
    """Who a grant issues tokens to: the user and the login session (refresh token family) they continue."""
    user: User
    session_id: uuid.UUID
    amr: tuple[str, ...] = ("pwd",)  # how the user proved who they are (RFC 8176's values), for the ID token

    def get_user_id(self):
        return str(self.user.user_id)


class Client(ClientMixin):
    def __init__(self, row: dict):
        self.row, self.client_id = row, row["client_id"]

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        uris = self.row["redirect_uris"]
        return uris[0] if len(uris) == 1 else None

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.row["redirect_uris"]  # exactly, never a prefix

    def check_client_secret(self, client_secret):
        secret = self.row["secret_hash"]
        return secret is not None and hmac.compare_digest(bytes(secret), digest(client_secret))

    def check_endpoint_auth_method(self, method, endpoint):
        if self.row["client_type"] == "public":
            return method == "none"
        return method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type in GRANT_TYPES


class Code(AuthorizationCodeMixin):
    def __init__(self, row: dict):
        self.row = row

    def get_redirect_uri(self):
        return self.row["redirect_uri"]

    def get_scope(self):
        return self.row["scope"]

    def get_nonce(self):
        return self.row["nonce"]

    def get_auth_time(self):
        return self.row["auth_time"]

    def get_acr(self):
        return None

    def get_amr(self):
        return self.row["amr"]


class RefreshCredential(TokenMixin):
    def __init__(self, row: dict, session: dict):
        self.row, self.session = row, session

    def check_client(self, client):
        return client.client_id == self.session["client_id"]

    def get_scope(self):
        return self.session["scope"]

    def is_expired(self):
        return False  # checked as it was spent

    def is_revoked(self):
        return False


class S256Only(CodeChallenge):
    """PKCE with S256 only (plain would send the verifier's twin over the front channel); a public client
    must send a challenge, since nothing else binds its code to it."""
    DEFAULT_CODE_CHALLENGE_METHOD = "S256"
    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        data = grant.request.payload.data
        if grant.request.client.row["client_type"] == "public" and not data.get("code_challenge"):
            raise InvalidRequestError("A public client must send code_challenge with code_challenge_method=S256.")
        if data.get("code_challenge") and data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("Only code_challenge_method=S256 is supported.")
        return super().validate_code_challenge(grant, redirect_uri)

    def get_authorization_code_challenge(self, authorization_code):
        return authorization_code.row["code_challenge"]

    def get_authorization_code_challenge_method(self, authorization_code):
        return authorization_code.row["code_challenge_method"]


class CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]

    def save_authorization_code(self, code, req):
        data, security = req.payload.data, self.server.security
        g.oidc_uow.oidc_codes.add(code, {
            "tenant_id": g.oidc_tenant, "client_id": req.client.client_id, "user_id": req.user.user.user_id,
            "redirect_uri": req.payload.redirect_uri or req.client.get_default_redirect_uri(),
            "scope": req.scope or "", "nonce": data.get("nonce"), "code_challenge": data.get("code_challenge"),
            "code_challenge_method": data.get("code_challenge_method"), "auth_time": int(time.time()),
            "amr": list(req.user.amr),
            "expires_at": security.now() + timedelta(seconds=CODE_SECONDS)})

    def query_authorization_code(self, code, client):
        row = g.oidc_uow.oidc_codes.take(g.oidc_tenant, code, client.client_id, self.server.security.now())
        return Code(row) if row else None

    def delete_authorization_code(self, authorization_code):
        pass  # taken (deleted) as it was read

    def authenticate_user(self, authorization_code):
        _, user = load_user(g.oidc_uow, g.oidc_tenant, authorization_code.row["user_id"])
        return Subject(user, uuid.uuid4()) if user.can_log_in() else None


class RefreshGrant(grants.RefreshTokenGrant):
    """Today's rotation and replay detection (service_layer/auth.py): a spent token presented again ends
    the session, and with it every access token of that session."""
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post", "none"]
    INCLUDE_NEW_REFRESH_TOKEN = True

    def authenticate_refresh_token(self, refresh_token):
        uow, now = g.oidc_uow, self.server.security.now()
        session = uow.oidc_sessions.of_refresh_token(g.oidc_tenant, refresh_token)
        if session is None or session["client_id"] != self.request.client.client_id:
            return None  # another client's (or the login API's) token is not spent by this one
        row = uow.refresh_tokens.spend(g.oidc_tenant, refresh_token, now)
        if row is None or row["revoked_at"] is not None or row["expires_at"] <= now:
            return None
        if row["used_at"] is not None:
            login.end_session(uow, g.oidc_meta, row, "refresh_token_reused", now)
            return None
        return RefreshCredential(row, session)

    def authenticate_user(self, credential):
        _, user = load_user(g.oidc_uow, g.oidc_tenant, credential.row["user_id"])
        if not user.can_log_in():
            g.oidc_uow.refresh_tokens.revoke_family(credential.row["family_id"], self.server.security.now())
            return None
        return Subject(user, credential.row["family_id"])

    def revoke_old_credential(self, refresh_token):
        pass  # spent as it was authenticated


class PorticoOpenIDCode(OpenIDCode):
    def __init__(self, signer):
        super().__init__(require_nonce=False)
        self.signer = signer

    def exists_nonce(self, nonce, req):
        return False  # a code is single use, so its nonce cannot come back

    def resolve_client_private_key(self, client):
        return self.signer.private_jwk

    def get_client_algorithm(self, client):
        return "EdDSA"

    def get_encode_header(self, client):
        return {"alg": "EdDSA", "kid": self.signer.kid, "typ": "JWT"}

    def get_client_claims(self, client):
        now = int(time.time())
        return {"iss": issuer(), "aud": [client.client_id], "iat": now, "exp": now + int(self.signer.ttl.total_seconds())}

    def get_compatible_claims(self, req):
        claims = self.get_client_claims(req.client)
        claims["sid"] = str(req.user.session_id)
        return claims

    def generate_user_info(self, user, scope):
        return UserInfo(user_info(user.user))


def create_server(security) -> AuthorizationServer:
    """Authlib's authorization server with Portico's grants and tokens (wired once, in create_app)."""
    def query_client(client_id):
        row = g.oidc_uow.oidc_clients.get(g.oidc_tenant, client_id)
        return Client(row) if row else None

    def generate_token(grant_type, client, user=None, scope=None, expires_in=None, include_refresh_token=True):
        g.oidc_uow.oidc_sessions.add(user.session_id, g.oidc_tenant, client.client_id, scope or "")
        tokens = login.issue(g.oidc_uow, security, g.oidc_tenant, user.user, user.session_id,
                             client={"client_id": client.client_id, "scope": scope or ""})
        return {"token_type": "Bearer", "access_token": tokens.access_token, "expires_in": tokens.expires_in,
                "refresh_token": tokens.refresh_token, "scope": scope or ""}

    server = AuthorizationServer(query_client=query_client, save_token=lambda token, req: None)
    server.security = security
    server.register_token_generator("default", generate_token)
    server.register_grant(CodeGrant, [S256Only(required=True), PorticoOpenIDCode(security.signer)])
    server.register_grant(RefreshGrant)
    return server
