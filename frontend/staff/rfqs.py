"""Requests for quote as staff see them (seed 003): which customer asked for what, when and who; in-house staff
and system administrators see all, a sales rep its own customers' (the documents service decides)."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import api
from ..sessions import staff_required

bp = Blueprint("staff_rfqs", __name__, url_prefix="/staff/rfqs")


@bp.get("")
@staff_required
def index():
    """The requests for quote this staff user may see, newest first."""
    page = request.args.get("page", 1, type=int)
    found = api.get("documents", "/rfqs", params={"page": page, "page_size": 25})
    return render_template("staff/rfqs.html", found=found, page=page)
