"""Authentication for every identity endpoint: a valid access token of the URL's tenant, else a problem.

Endpoints that must work without one (login, registration, password links, JWKS) are marked @public.
The customer, contact, import and settings endpoints get their permission rules here, by blueprint,
so their handlers stay about customers; user endpoints check theirs in the service layer.
"""
from __future__ import annotations

import jwt
from flask import Flask, g, request

from eventkit.problems import Problem
from eventkit.requests import tenant

from ..domain.principal import Principal
from ..domain.settings import SYSTEM_ADMINISTRATOR_SETTINGS
from ..domain.user_errors import Forbidden, TokenRevoked
from ..service_layer import callers, customers, policy

_CHALLENGE = 'Bearer realm="portico"'


def public(view):
    """Mark a view as reachable without an access token."""
    view.public = True
    return view


def principal() -> Principal:
    return g.principal


def _unauthorized(code: str, detail: str, error: str | None = None) -> Problem:
    challenge = _CHALLENGE + (f', error="{error}", error_description="{detail}"' if error else "")
    return Problem(401, code, "Authentication required", detail, headers={"WWW-Authenticate": challenge})


def _bearer_token() -> str:
    scheme, _, token = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("auth.token_missing", "Send an access token: Authorization: Bearer <token>.")
    return token.strip()


def authenticate(identity) -> Principal:
    """The principal of the request's bearer token, checked against the tenant in the URL (RFC 6750),
    as the store knows them now: 401 `auth.token_revoked` once logged out, disabled or deleted."""
    try:
        claims = identity.security.signer.verify(_bearer_token())
    except jwt.ExpiredSignatureError:
        raise _unauthorized("auth.token_expired", "The access token has expired; refresh it.", "invalid_token")
    except jwt.InvalidTokenError:
        raise _unauthorized("auth.token_invalid", "The access token is not valid here.", "invalid_token")
    if claims.get("tenant") != tenant():
        raise Forbidden("auth.wrong_tenant", "The access token belongs to another tenant.")
    try:
        return callers.current_principal(tenant(), claims, identity.users_uow())
    except TokenRevoked as revoked:
        raise _unauthorized(revoked.code, str(revoked), "invalid_token") from None


def _customers_rule(by: Principal, identity) -> None:
    """Staff only; changes by in-house users; a sales rep reads only customers assigned to them."""
    if request.method not in ("GET", "HEAD"):
        return policy.in_house_only(by)
    policy.staff_only(by)
    if by.is_in_house:
        return
    code = (request.view_args or {}).get("code")
    if code is None:
        if by.sales_rep is None or request.args.get("sales_rep") != by.sales_rep:
            raise Forbidden("auth.sales_rep_filter_required",
                            f"A sales rep lists only their own customers: add sales_rep={by.sales_rep} to the query.")
        return
    customer = customers.get_customer(tenant(), code, identity.uow())
    if customer is not None:
        policy.may_read_customer(by, customer)


def _settings_rule(by: Principal, identity) -> None:
    """Staff read the settings; in-house users set the bulletin (seed 003), only a system administrator
    the permissions (seed 000)."""
    if request.method in ("GET", "HEAD"):
        return policy.staff_only(by)
    body = request.get_json(silent=True)
    if isinstance(body, dict) and not SYSTEM_ADMINISTRATOR_SETTINGS & set(body):
        return policy.in_house_only(by)
    policy.system_administrator_only(by)


RULES = {"customers": _customers_rule, "contacts": _customers_rule, "settings": _settings_rule,
         "imports": lambda by, identity: policy.in_house_only(by)}


def init_app(app: Flask, identity) -> None:
    @app.before_request
    def _authenticate():
        view = app.view_functions.get(request.endpoint)
        if view is None or getattr(view, "public", False) or not request.path.startswith("/v1/"):
            return
        g.principal = authenticate(identity)
        rule = RULES.get(request.blueprint)
        if rule:
            rule(g.principal, identity)
