"""The distributor's company name, shown where the console would otherwise say "Portico" or the tenant's
id: the name its invitations carry, read once per session (in-house staff may read it)."""
from __future__ import annotations

from flask import session

from .. import api
from . import roles


def name() -> str | None:
    if "company_name" not in session and session.get("user") and roles.current().in_house:
        try:
            session["company_name"] = api.get("invitations", "/invitation-settings").get("company_name")
        except api.ApiProblem:
            return None
    return session.get("company_name")


def forget() -> None:
    """After the name is changed in the settings."""
    session.pop("company_name", None)
