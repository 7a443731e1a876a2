"""What a portal user could see at a past instant (issue 17): a date and time picker on the customer's
page, and per area the documents of the user's account then, each with whether it could open it and why."""
from __future__ import annotations

import re
from datetime import datetime, timezone

from flask import Blueprint, render_template, request

from .. import api
from ..sessions import staff_required

bp = Blueprint("staff_visibility", __name__, url_prefix="/staff/customers")
_SOURCE_NOTE = re.compile(r"\s*\(seed \d+\)")  # the rules cite the requirement they come from; staff need not


def instant(day: str, time: str) -> datetime | None:
    """The picked day and time (UTC) as an instant; None when either is not a real date or time."""
    try:
        return datetime.strptime(f"{day} {time or '23:59'}", "%Y-%m-%d %H:%M").replace(tzinfo=timezone.utc)
    except ValueError:
        return None


def in_words(answer: dict) -> dict:
    """The answer with its explanations as staff read them."""
    for documents in answer.get("areas", {}).values():
        for d in documents:
            d["explanation"] = _SOURCE_NOTE.sub("", d["explanation"])
    if answer.get("explanation"):
        answer["explanation"] = _SOURCE_NOTE.sub("", answer["explanation"])
    return answer


@bp.get("/<code>/portal-users/<user_id>/visibility")
@staff_required
def at_instant(code, user_id):
    """Pick a day and time; see what the user could open then, and why."""
    day, time = request.args.get("day", ""), request.args.get("time", "")
    at, answer, error = instant(day, time), None, None
    if day and at is None:
        error = "Please give a date like 14 March 2026 and a time like 12:00."
    elif at is not None:
        answer = in_words(api.get("documents", f"/users/{user_id}/visibility", params={"at": at.isoformat()}))
    return render_template("staff/visibility.html", code=code, user_id=user_id, day=day, time=time or "23:59",
                           answer=answer, error=error)
