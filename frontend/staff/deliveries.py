"""The e-mail delivery log: what went to whom, for which event, and how it went."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import api
from ..sessions import staff_required
from . import roles

bp = Blueprint("staff_deliveries", __name__, url_prefix="/staff/deliveries")

FILTERS = ("recipient", "status", "kind")


@bp.get("")
@staff_required
@roles.in_house_required
def index():
    chosen = {k: request.args[k] for k in FILTERS if request.args.get(k)}
    page = request.args.get("page", 1, type=int)
    try:
        found, unavailable = api.get("notifications", "/deliveries",
                                     params={**chosen, "page": page, "page_size": 50}), None
    except api.ServiceUnavailable as problem:
        found, unavailable = {"items": [], "total": 0, "page_size": 50}, problem.detail
    return render_template("staff/deliveries.html", found=found, chosen=chosen, page=page, unavailable=unavailable)
