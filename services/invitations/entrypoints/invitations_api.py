"""HTTP API for one invitation: staff read, resend and revoke it; the customer opens its link."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, jsonify, request

from eventkit import rate_limits
from eventkit.openapi import documented
from eventkit.problems import Problem
from eventkit.requests import metadata, tenant

from ..domain.commands import OpenInvitation, ResendInvitation, RevokeInvitation
from ..domain.errors import TokenUnknown
from ..service_layer import invitations
from .http import caller, json_body, public, service, staff_meta
from .schemas import LinkAnswer, OpenLinkBody, ResendBody, RevokeBody

bp = Blueprint("invitations", __name__, url_prefix="/v1/tenants/<tenant_id>")


@bp.get("/invitations/<uuid:invitation_id>")
@documented()
def show(tenant_id, invitation_id):
    """The invitation: customer, addresses, state (sent, accepted, revoked, expired) and its history."""
    return jsonify(invitations.get_invitation(tenant(), invitation_id, caller(), service().uow(),
                                              service().links.now()))


@bp.post("/invitations/<uuid:invitation_id>/resend")
@documented(body=ResendBody, body_required=False, problems=[409])
def resend(tenant_id, invitation_id):
    """Send it again with a new link and a new expiry; the previous link stops working."""
    body = ResendBody().load(json_body(optional=True))
    cmd = ResendInvitation(staff_meta(), caller(), str(invitation_id), body["emails"])
    return jsonify(invitations.resend_invitation(cmd, service().uow(), service().links))


@bp.post("/invitations/<uuid:invitation_id>/revoke")
@documented(body=RevokeBody, body_required=False, problems=[409])
def revoke(tenant_id, invitation_id):
    """Withdraw it: its link stops working at once."""
    body = RevokeBody().load(json_body(optional=True))
    cmd = RevokeInvitation(staff_meta(), caller(), str(invitation_id), body["reason"])
    return jsonify(invitations.revoke_invitation(cmd, service().uow(), service().links.now()))


def _guesses() -> tuple[rate_limits.Limit, str]:
    limit = rate_limits.Limit("invitation-link.unknown", service().config["UNKNOWN_LINKS_PER_CLIENT_PER_HOUR"],
                              timedelta(hours=1), "unknown invitation links")
    return limit, f"{tenant()}:{request.remote_addr}"


def _too_many(wait: int) -> Problem:
    return Problem(429, "invitation.too_many_unknown_links", "Too many unknown links",
                   "Too many unknown invitation links were tried from here; try again in "
                   f"{rate_limits.in_words(wait)}.",
                   headers={"Retry-After": str(wait)})


@bp.post("/invitation-links/open")
@public
@documented(body=OpenLinkBody, response=LinkAnswer, problems=[404, 409, 410, 429])
def open_link(tenant_id):
    """Who invites the customer (for the registration page); records that the link was opened.

    The registration itself goes to identity (POST .../registrations with the same token): the password
    never passes through this service. Expired (410 invitation.expired), revoked (410 invitation.revoked),
    replaced (410 invitation.link_replaced) and used (409 invitation.already_used) links are refused; a client
    that tries too many unknown links gets 429 invitation.too_many_unknown_links for them for a while. A real
    link still opens: behind the portal frontend every visitor shares one address, and one guesser must
    not lock the others out."""
    body = OpenLinkBody().load(json_body())
    (limit, client), now = _guesses(), service().links.now()
    cmd = OpenInvitation(metadata(tenant(), "invited-customer"), body["token"])
    try:
        return jsonify(LinkAnswer().dump(invitations.open_invitation(cmd, service().uow(), now)))
    except TokenUnknown:
        with service().pool.connection() as conn:  # its own transaction: the refusal rolled the other back
            wait = rate_limits.hit(conn, limit, client, now)
        if wait:
            raise _too_many(wait) from None
        raise
