"""Settings (seeds 000, 001, 002, 003, 004): the tenant's settings, invitation settings, the e-mails' sender
(From, Reply-To, the portal's address), e-mail templates with a live preview, and the portal bulletin; a
part no service offers yet says so instead of pretending. For in-house users and system administrators."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from .. import api, forms
from ..sessions import staff_required
from . import roles

bp = Blueprint("staff_settings", __name__, url_prefix="/staff/settings")


def _optional(service: str, path: str):
    """What a service answers, or None when it (or this endpoint) is not available yet."""
    try:
        return api.get(service, path)
    except api.ServiceUnavailable:
        return None
    except api.ApiProblem as problem:
        if problem.status in (404, 405, 501):
            return None
        raise


def _page(bulletin: str | None = None, errors: dict | None = None, sender_form: dict | None = None):
    tenant = api.get("identity", "/settings")
    sender = _optional("notifications", "/notification-settings")
    return render_template("staff/settings.html", tenant=tenant,
                           invitation=_optional("invitations", "/invitation-settings"),
                           templates=_optional("notifications", "/templates"), sender=sender,
                           sender_form=sender_form or {k: (sender or {}).get(k) or "" for k in SENDER_FIELDS},
                           bulletin=tenant.get("bulletin") if bulletin is None else bulletin,
                           bulletin_supported="bulletin" in tenant, second_factor_policies=SECOND_FACTOR_POLICIES,
                           errors=errors or {})


@bp.get("")
@staff_required
@roles.in_house_required
def index():
    return _page()


SENDER_FIELDS = ("from_address", "from_name", "reply_to", "portal_url")
# The tenant's second_factor_policy, in the words the page shows.
SECOND_FACTOR_POLICIES = {"optional": "Optional: each user may set one up",
                          "required_for_staff": "Required for staff users",
                          "required_for_everyone": "Required for everyone, portal users too"}


@bp.post("/sender")
@staff_required
@roles.in_house_required
def save_sender():
    """From, Reply-To and the portal's address of the tenant's e-mails; a field left empty uses the default."""
    typed = {k: request.form.get(k, "").strip() for k in SENDER_FIELDS}
    try:
        api.put("notifications", "/notification-settings", {k: v or None for k, v in typed.items()})
    except api.ApiProblem as problem:
        return _page(errors=forms.show_problem(problem), sender_form=typed), 422
    flash("E-mail sender settings saved.", "success")
    return redirect(url_for("staff_settings.index"))


@bp.post("/tenant")
@staff_required
@roles.in_house_required
def save_tenant():
    f = request.form
    body = {"allow_personal_account_registration": forms.checked(f, "allow_personal_account_registration"),
            "allow_sales_reps_to_create_users": forms.checked(f, "allow_sales_reps_to_create_users")}
    if f.get("second_factor_policy") in SECOND_FACTOR_POLICIES:
        body["second_factor_policy"] = f["second_factor_policy"]
    try:
        api.put("identity", "/settings", body)
        flash("Tenant settings saved.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_settings.index"))


@bp.post("/bulletin")
@staff_required
@roles.in_house_required
def save_bulletin():
    """Set the portal bulletin (seed 003) on its own, which in-house users may; blank clears it."""
    typed = request.form.get("bulletin", "")
    try:
        saved = api.put("identity", "/settings", {"bulletin": typed})
    except api.ApiProblem as problem:
        return _page(bulletin=typed, errors=forms.show_problem(problem)), 422
    flash("Bulletin saved." if saved.get("bulletin") else "Bulletin cleared.", "success")
    return redirect(url_for("staff_settings.index"))


@bp.post("/invitations")
@staff_required
@roles.in_house_required
def save_invitations():
    f = request.form
    body = {"invitation_validity_days": f.get("invitation_validity_days", type=int)}
    if f.get("company_name", "").strip():
        body["company_name"] = f["company_name"].strip()
    try:
        api.patch("invitations", "/invitation-settings", body)
        flash("Invitation settings saved.", "success")
    except api.ApiProblem as problem:
        forms.show_problem(problem)
    return redirect(url_for("staff_settings.index"))


def _template_parts(form) -> dict:
    return {"subject": form.get("subject", ""), "text": form.get("text", ""), "html": form.get("html") or None}


@bp.route("/templates/<kind>", methods=["GET", "POST"])
@staff_required
@roles.in_house_required
def template(kind):
    """Edit one kind of e-mail; saving is refused unless every part renders."""
    errors = {}
    if request.method == "POST":
        try:
            if request.form.get("reset"):
                api.call("notifications", "DELETE", f"/templates/{kind}")
                flash("Back to the default template.", "success")
            else:
                api.put("notifications", f"/templates/{kind}", _template_parts(request.form))
                flash("Template saved.", "success")
            return redirect(url_for("staff_settings.template", kind=kind))
        except api.ApiProblem as problem:
            errors = forms.show_problem(problem)
    shown = api.get("notifications", f"/templates/{kind}")
    if request.method == "POST":
        shown.update(_template_parts(request.form))
    return render_template("staff/template.html", template=shown, errors=errors), 422 if errors else 200


@bp.post("/templates/<kind>/preview")
@staff_required
@roles.in_house_required
def preview(kind):
    """The live preview: the draft as typed, rendered by the notifications service against a sample."""
    draft = request.get_json(silent=True) or {}
    body = {k: draft[k] for k in ("subject", "text", "html") if draft.get(k) is not None}
    return jsonify(api.post("notifications", f"/templates/{kind}/preview", body))
