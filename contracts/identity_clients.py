"""Events the identity service publishes about OpenID Connect clients, on portico.identity, keyed by
`oidc-client-<tenant>-<client_id>`: the portal frontends a system administrator registered for a tenant.

A confidential client's secret never appears: only the provider's table holds its SHA-256.
"""
from marshmallow import fields, validate

from .catalogue import EventContract
from .fields import StrictSchema
from .topics import IDENTITY

CLIENT_TYPES = ("confidential", "public")


class OidcClientRegistered(StrictSchema):
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200),
                         metadata={"description": "shown on the login page: 'Log in to <name>'"})
    client_type = fields.String(required=True, validate=validate.OneOf(CLIENT_TYPES), metadata={
        "description": "public clients (a browser or a phone app) hold no secret and must use PKCE S256"})
    redirect_uris = fields.List(fields.URL(require_tld=False), required=True, validate=validate.Length(min=1),
                                metadata={"description": "matched exactly"})
    post_logout_redirect_uris = fields.List(fields.URL(require_tld=False), required=True)
    registered_by = fields.String(required=True, validate=validate.Length(min=1, max=100))


def _sign_up_uri():
    return fields.URL(require_tld=False, required=True, allow_none=True, metadata={
        "description": "the client's page where a person without a username registers: the login page links to it"})


class OidcClientRegisteredV2(OidcClientRegistered):
    sign_up_uri = _sign_up_uri()


def registered_v1_to_v2(data: dict) -> dict:
    return {**data, "sign_up_uri": None}


class OidcClientChanged(StrictSchema):
    """What a client is now, as a system administrator changed it (its type and secret never change)."""
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    redirect_uris = fields.List(fields.URL(require_tld=False), required=True, validate=validate.Length(min=1),
                                metadata={"description": "matched exactly"})
    post_logout_redirect_uris = fields.List(fields.URL(require_tld=False), required=True)
    sign_up_uri = _sign_up_uri()
    changed_by = fields.String(required=True, validate=validate.Length(min=1, max=100))


class OidcClientRemoved(StrictSchema):
    client_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    removed_by = fields.String(required=True, validate=validate.Length(min=1, max=100))


CONTRACTS = [
    EventContract(type="portico.identity.oidc_client.registered", version=1, owner="identity", topic=IDENTITY,
                  key="stream id: oidc-client-<tenant>-<client_id>", schema=OidcClientRegistered,
                  description="A system administrator registered a portal frontend as an OpenID Connect client.",
                  upcast=registered_v1_to_v2),
    EventContract(type="portico.identity.oidc_client.registered", version=2, owner="identity", topic=IDENTITY,
                  key="stream id: oidc-client-<tenant>-<client_id>", schema=OidcClientRegisteredV2,
                  description="A system administrator registered a portal frontend as an OpenID Connect client "
                              "(with the page where people without a username register, if it has one)."),
    EventContract(type="portico.identity.oidc_client.changed", version=1, owner="identity", topic=IDENTITY,
                  key="stream id: oidc-client-<tenant>-<client_id>", schema=OidcClientChanged,
                  description="A system administrator changed a client's name or addresses (redirect URIs matched "
                              "exactly from now on)."),
    EventContract(type="portico.identity.oidc_client.removed", version=1, owner="identity", topic=IDENTITY,
                  key="stream id: oidc-client-<tenant>-<client_id>", schema=OidcClientRemoved,
                  description="A client was removed: it gets no more codes or tokens, and its refresh tokens end."),
]
