"""What the OpenID Connect endpoints read and answer (marshmallow, hence their OpenAPI description)."""
from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, validate

from contracts.identity_clients import CLIENT_TYPES
from eventkit.patterns import FullMatch

from .user_schemas import Body

CLIENT_ID = r"[a-z0-9][a-z0-9._-]{0,99}"
VSCHAR = r"[\x20-\x7e]{0,2000}"  # RFC 6749 appendix A: printable ASCII


def _uris(**kwargs):
    return fields.List(fields.URL(require_tld=False, schemes={"http", "https"}), **kwargs)


def _vs(**kwargs):
    return fields.String(validate=FullMatch(VSCHAR), **kwargs)


class ClientChangeBody(Body):
    """What a system administrator may change of a client: its name and addresses (the whole of them)."""
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    redirect_uris = _uris(required=True, validate=validate.Length(min=1, max=20),
                          metadata={"description": "matched exactly: no prefix, no pattern"})
    post_logout_redirect_uris = _uris(load_default=list, validate=validate.Length(max=20))
    sign_up_uri = fields.URL(require_tld=False, schemes={"http", "https"}, load_default=None, allow_none=True,
                             metadata={"description": "the client's page where a person without a username "
                                                      "registers; the login page links to it"})


class NewClientBody(ClientChangeBody):
    client_id = fields.String(required=True, validate=FullMatch(CLIENT_ID),
                              metadata={"description": "lower case letters, digits, '.', '_' or '-'"})
    client_type = fields.String(required=True, validate=validate.OneOf(CLIENT_TYPES))


class Client(Schema):
    client_id = fields.String()
    name = fields.String()
    client_type = fields.String()
    redirect_uris = fields.List(fields.String())
    post_logout_redirect_uris = fields.List(fields.String())
    sign_up_uri = fields.String(allow_none=True)


class RegisteredClient(Client):
    client_secret = fields.String(allow_none=True, metadata={
        "description": "a confidential client's secret, shown only now; null for a public client"})


class AuthorizeQuery(Schema):
    """OAuth 2.0's authorization request (RFC 6749 4.1.1, RFC 7636, OpenID Connect Core 3.1.2.1)."""
    class Meta:
        unknown = EXCLUDE

    response_type = fields.String(required=True, validate=validate.OneOf(("code",)))
    client_id = _vs(required=True)
    redirect_uri = _vs()
    scope = _vs()
    state = _vs()
    nonce = _vs()
    code_challenge = _vs()
    code_challenge_method = _vs()


class TokenForm(Schema):
    """The token request (RFC 6749 4.1.3 and 6), form-encoded; the client authenticates with HTTP Basic,
    the form's client_secret, or (a public client) only its client_id and the PKCE verifier."""
    grant_type = _vs(required=True)  # an unknown one is OAuth's unsupported_grant_type (RFC 6749 5.2)
    code = _vs()
    redirect_uri = _vs()
    code_verifier = _vs()
    refresh_token = _vs()
    client_id = _vs()
    client_secret = _vs()


class TokenAnswer(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    refresh_token = fields.String()
    id_token = fields.String()
    scope = fields.String()


class EndSessionQuery(Schema):
    """RP-initiated logout (OpenID Connect RP-Initiated Logout 1.0)."""
    class Meta:
        unknown = EXCLUDE

    id_token_hint = _vs(required=True)
    post_logout_redirect_uri = _vs()
    state = _vs()


class UserInfo(Schema):
    sub = fields.String()
    preferred_username = fields.String()
    user_type = fields.String()
    kind = fields.String()
    areas = fields.List(fields.String())
    customer_id = fields.String()
    customer_code = fields.String()
    receivable_account = fields.String()
    own_orders_only = fields.Boolean()
    staff_roles = fields.List(fields.String())
    sales_rep = fields.String(allow_none=True)


class Discovery(Schema):
    issuer = fields.String()
    authorization_endpoint = fields.String()
    token_endpoint = fields.String()
    userinfo_endpoint = fields.String()
    end_session_endpoint = fields.String()
    jwks_uri = fields.String()
    response_types_supported = fields.List(fields.String())
    grant_types_supported = fields.List(fields.String())
    subject_types_supported = fields.List(fields.String())
    id_token_signing_alg_values_supported = fields.List(fields.String())
    scopes_supported = fields.List(fields.String())
    token_endpoint_auth_methods_supported = fields.List(fields.String())
    code_challenge_methods_supported = fields.List(fields.String())
    claims_supported = fields.List(fields.String())


class OAuthError(Schema):
    """An error of the token endpoint, as OAuth 2.0 words it (RFC 6749 5.2)."""
    error = fields.String()
    error_description = fields.String()
