"""What identity's own pages of the code flow show besides the form: the portal's heading with the
tenant's company name (projected from the invitations service's settings), the way to a forgotten
password and the client's sign-up page, and the password rules before a first password is replaced."""
from __future__ import annotations

from urllib.parse import urlencode, urlsplit

from flask import current_app, request

from eventkit.projection_tables import active_table

from ..adapters.projections.company_names import PROJECTION as COMPANY_NAMES
from ..domain import passwords as password_policy


def company_name(tenant_id: str) -> str | None:
    """The distributor's name as its customers know it, None until staff set it."""
    with current_app.extensions["identity"].pool.connection() as conn:
        row = conn.execute(f"SELECT company_name FROM {active_table(conn, COMPANY_NAMES)} WHERE tenant_id = %s",
                           (tenant_id,)).fetchone()
    return row["company_name"] if row else None


def origins(uris: list[str]) -> list[str]:
    """scheme://host[:port] of each address, once each (what a Content-Security-Policy source names)."""
    return sorted({f"{u.scheme}://{u.netloc}" for u in map(urlsplit, uris)})


def _sibling(page: str) -> str:
    """A page beside this one (all are under .../oidc/), for the same authorization request: relative, so
    the page never spells out the service's paths."""
    return f"{page}?{urlencode(request.args.to_dict())}"


def context(tenant_id: str, client: dict | None = None) -> dict:
    """What every page of the flow shows: who the portal is, and the ways on from the login form."""
    return {"company_name": company_name(tenant_id), "sign_up_uri": (client or {}).get("sign_up_uri"),
            "forgot_url": _sibling("forgot-password"), "login_url": _sibling("authorize"),
            "rules": list(password_policy.RULES)}
