"""Handlers for one invitation: the customer opens its link; staff read, resend or revoke it."""
from __future__ import annotations

from datetime import datetime

from eventkit.store import StreamAppend

from ..domain import invitation as invitations
from ..domain.caller import Caller, may_invite, own_customers_only
from ..domain.commands import OpenInvitation, ResendInvitation, RevokeInvitation
from ..domain.errors import InvitationNotFound, InvitationStateConflict, TokenUnknown
from ..domain.invitation import Invitation, Recipient, stream_id
from ..domain.tokens import token_hash
from . import candidates
from .links import LinkMaker
from .settings import load as load_settings


def load(uow, tenant_id: str, invitation_id) -> tuple[list, Invitation]:
    """The invitation's history and state; one of another tenant does not exist here."""
    history = uow.read_stream(stream_id(invitation_id))
    if not history or history[0].tenant_id != tenant_id:
        raise InvitationNotFound(invitation_id)
    return history, Invitation.from_events(history)


def _for_staff(uow, tenant_id: str, by: Caller, invitation_id) -> tuple[list, Invitation, dict | None]:
    """Load it for a staff user who may act on its customer (a sales rep: their own customers only)."""
    may_invite(by)
    history, invitation = load(uow, tenant_id, invitation_id)
    customer = candidates.customers(uow.conn, tenant_id, [invitation.customer_id]).get(invitation.customer_id)
    own_customers_only(by, [customer or {"code": invitation.details["customer_code"], "sales_rep": None}])
    return history, invitation, customer


def get_invitation(tenant_id: str, invitation_id, by: Caller, uow, now: datetime) -> dict:
    with uow:
        _, invitation, _ = _for_staff(uow, tenant_id, by, invitation_id)
    return invitation.as_dict(now)


def open_invitation(cmd: OpenInvitation, uow, now: datetime) -> dict:
    """Who invited the customer, for the registration page; records that the link was opened."""
    tenant_id, link = cmd.meta.tenant_id, token_hash(cmd.token)
    with uow:
        invitation_id = uow.links.invitation_of(tenant_id, link)
        if invitation_id is None:
            raise TokenUnknown()
        history, invitation = load(uow, tenant_id, invitation_id)
        uow.append([StreamAppend(stream_id(invitation_id), "invitation", len(history),
                                 invitations.open_link(invitation, link, now))], cmd.meta)
    d = invitation.details
    return {"invitation_id": invitation_id, "company_name": d["company_name"], "customer_name": d["customer_name"],
            "customer_code": d["customer_code"], "invited_by": d["invited_by"]["username"], "emails": d["emails"],
            "expires_at": invitation.expires_at}


def resend_invitation(cmd: ResendInvitation, uow, links: LinkMaker) -> dict:
    """A new link and expiry, to the same addresses unless new ones are given; the old link dies."""
    tenant_id = cmd.meta.tenant_id
    with uow:
        history, invitation, customer = _for_staff(uow, tenant_id, cmd.by, cmd.invitation_id)
        if customer is not None and customer["usernames"] > 0:
            raise InvitationStateConflict("The customer has a portal username now; there is nobody to invite.")
        d, settings = invitation.details, load_settings(uow, tenant_id)
        to = Recipient(invitation.customer_id, d["customer_code"], d["customer_name"], cmd.emails or d["emails"],
                       "given" if cmd.emails else d["address_source"])
        link = links.make(settings.invitation_validity_days)
        events = invitations.resend(invitation, to, link, cmd.by.person(), settings.inviter_name)
        if not uow.open_invitations.reopen(tenant_id, invitation.customer_id, invitation.invitation_id,
                                           link.expires_at):
            raise InvitationStateConflict("Another invitation to this customer is open; resend that one.")
        uow.links.add([(link.token_hash, tenant_id, invitation.invitation_id)])
        stored = uow.append([StreamAppend(stream_id(cmd.invitation_id), "invitation", len(history), events)],
                            cmd.meta)
    return Invitation.from_events(history + stored).as_dict(links.now())


def revoke_invitation(cmd: RevokeInvitation, uow, now: datetime) -> dict:
    """Its link stops working at once; revoking twice changes nothing."""
    with uow:
        history, invitation, _ = _for_staff(uow, cmd.meta.tenant_id, cmd.by, cmd.invitation_id)
        events = invitations.revoke(invitation, cmd.reason)
        uow.open_invitations.close([invitation.invitation_id])
        stored = uow.append([StreamAppend(stream_id(cmd.invitation_id), "invitation", len(history), events)],
                            cmd.meta)
    return Invitation.from_events(history + stored).as_dict(now)
