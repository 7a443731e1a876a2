"""Why an invitation link cannot register a username; the codes are the invitations service's own."""
from __future__ import annotations

from .errors import DomainError


class InvitationLinkUnknown(DomainError):
    code, status, title = "invitation.token_unknown", 404, "Unknown invitation link"

    def __init__(self):
        super().__init__("This invitation link is not known (yet). Check that the whole link was copied; a link "
                         "sent a moment ago may need a few seconds more.")
        self.field = "invitation_token"


class InvitationExpired(DomainError):
    code, status, title = "invitation.expired", 410, "Invitation expired"

    def __init__(self):
        super().__init__("This invitation has expired. Ask your distributor to send it again.")


class InvitationRevoked(DomainError):
    code, status, title = "invitation.revoked", 410, "Invitation withdrawn"

    def __init__(self):
        super().__init__("This invitation was withdrawn by your distributor.")


class InvitationLinkReplaced(DomainError):
    code, status, title = "invitation.link_replaced", 410, "A newer link was sent"

    def __init__(self):
        super().__init__("This invitation was sent again with a new link, and this one no longer works. "
                         "Use the link in the latest invitation e-mail.")


class InvitationUsed(DomainError):
    code, status, title = "invitation.already_used", 409, "Invitation already used"

    def __init__(self):
        super().__init__("This invitation has already been used to register a username. Log in with it, or use "
                         "'forgot password'.")
