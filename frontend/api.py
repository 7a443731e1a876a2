"""The services' public HTTP APIs as the frontend calls them: one tenant, the caller's bearer token,
RFC 9457 problems turned into an exception a page can show."""
from __future__ import annotations

from dataclasses import dataclass, field

import requests
from flask import current_app, g, session

POSITION = "Portico-Position"


@dataclass
class ApiProblem(Exception):
    status: int
    code: str
    detail: str
    errors: list = field(default_factory=list)
    body: dict = field(default_factory=dict)  # the whole problem, for its extension members (a login_token)

    def __str__(self) -> str:
        return self.detail


class ServiceUnavailable(ApiProblem):
    """The service does not answer (not started, or not built yet)."""


def _url(service: str, path: str) -> str:
    base = current_app.config[f"{service.upper()}_URL"].rstrip("/")
    if path.startswith("/.well-known"):
        return base + path
    return f"{base}/v1/tenants/{current_app.config['TENANT']}{path}"


def _problem(response: requests.Response) -> ApiProblem:
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = body.get("detail") or body.get("title") or f"{response.status_code} {response.reason}"
    return ApiProblem(response.status_code, body.get("code", "http.error"), detail, body.get("errors") or [], body)


def call(service: str, method: str, path: str, *, token: str | None = None, read_after: bool = True,
         **kwargs) -> requests.Response:
    """Call one service; a read waits for the caller's last write there (read-your-writes)."""
    headers = dict(kwargs.pop("headers", {}))
    token = token if token is not None else session.get("access_token")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    headers.setdefault("Accept", "application/json")
    params = dict(kwargs.pop("params", {}) or {})
    after = session.get("after", {}).get(service)
    if method == "GET" and read_after and after:
        params["after"] = after
    try:
        response = requests.request(method, _url(service, path), headers=headers, params=params,
                                    timeout=current_app.config["API_TIMEOUT"], **kwargs)
    except requests.RequestException as error:
        raise ServiceUnavailable(503, "service.unreachable",
                                 f"The {service} service does not answer ({type(error).__name__}).") from error
    if method != "GET" and response.headers.get(POSITION):
        session["after"] = {**session.get("after", {}), service: response.headers[POSITION]}
    elif method == "GET" and after and response.status_code != 503:
        # Shown, or refused for another reason: either way a position must never stick to every later page.
        session["after"] = {k: v for k, v in session.get("after", {}).items() if k != service}
    if response.status_code >= 400:
        raise _problem(response)
    g.setdefault("api_calls", []).append((service, method, path, response.status_code))
    return response


def get(service: str, path: str, **kwargs) -> dict:
    return call(service, "GET", path, **kwargs).json()


def post(service: str, path: str, body: dict | None = None, **kwargs) -> dict:
    response = call(service, "POST", path, json=body if body is not None else {}, **kwargs)
    return response.json() if response.content else {}


def put(service: str, path: str, body: dict, **kwargs) -> dict:
    return call(service, "PUT", path, json=body, **kwargs).json()


def patch(service: str, path: str, body: dict, **kwargs) -> dict:
    return call(service, "PATCH", path, json=body, **kwargs).json()
