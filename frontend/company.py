"""The distributor's name as its customers know it (invitations' settings), shown wherever the portal would
otherwise say "Portico" or the tenant id; asked again after a minute, so a change shows up soon, and every few
seconds while none is set, so the name staff set first shows up at once rather than a minute later."""
from __future__ import annotations

import time

from flask import current_app

from . import api

TTL = 60.0
TTL_WHILE_UNSET = 5.0


def name() -> str | None:
    """The company name, or None while staff have not set it (pages then say "your supplier")."""
    cache = current_app.extensions.setdefault("company_name", {"at": 0.0, "name": None})
    if time.monotonic() - cache["at"] > (TTL if cache["name"] else TTL_WHILE_UNSET):
        cache["at"] = time.monotonic()  # asked at most once a minute, answered or not: a page never waits twice
        try:
            cache["name"] = api.get("invitations", "/company", token="", read_after=False).get("company_name")
        except api.ApiProblem:
            pass  # keep the last known name
    return cache["name"]


def init_app(app) -> None:
    app.jinja_env.globals["company_name"] = name
