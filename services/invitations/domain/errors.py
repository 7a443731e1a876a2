"""Domain errors, each with the stable code the API answers with (the same code in every service)."""
from __future__ import annotations


class DomainError(Exception):
    code = "invitations.error"
    status = 400
    title = "Not allowed"


class Forbidden(DomainError):
    """A permission rule refused the request; `code` names the rule."""

    status, title = 403, "Not allowed"

    def __init__(self, code: str, detail: str):
        super().__init__(detail)
        self.code = code


class UsernameAdministratorRequired(DomainError):
    code, status, title = "invitation.username_administrator_required", 409, "Set a username administrator first"

    def __init__(self):
        super().__init__("No invitation can be sent until at least one username administrator is set: PUT up to "
                         "three e-mail addresses to .../username-administrators. They approve the usernames "
                         "invited customers register.")


class InvitationNotFound(DomainError):
    code, status, title = "invitation.not_found", 404, "No such invitation"

    def __init__(self, invitation_id):
        super().__init__(f"No invitation {invitation_id} in this tenant.")


class BatchNotFound(DomainError):
    code, status, title = "invitation.batch_not_found", 404, "No such batch of invitations"

    def __init__(self, batch_id):
        super().__init__(f"No batch of invitations {batch_id} in this tenant.")


class TokenUnknown(DomainError):
    code, status, title = "invitation.token_unknown", 404, "Unknown invitation link"

    def __init__(self):
        super().__init__("This invitation link is not known. Check that the whole link was copied, or ask your "
                         "distributor for a new invitation.")


class InvitationExpired(DomainError):
    code, status, title = "invitation.expired", 410, "Invitation expired"

    def __init__(self):
        super().__init__("This invitation has expired. Ask your distributor to send it again.")


class InvitationRevoked(DomainError):
    code, status, title = "invitation.revoked", 410, "Invitation withdrawn"

    def __init__(self):
        super().__init__("This invitation was withdrawn by your distributor.")


class LinkReplaced(DomainError):
    code, status, title = "invitation.link_replaced", 410, "A newer link was sent"

    def __init__(self):
        super().__init__("This invitation was sent again with a new link, and this one no longer works. "
                         "Use the link in the latest invitation e-mail.")


class InvitationUsed(DomainError):
    code, status, title = "invitation.already_used", 409, "Invitation already used"

    def __init__(self):
        super().__init__("This invitation has already been used to register a username. Log in with it, or use "
                         "'forgot password'.")


class InvitationStateConflict(DomainError):
    code, status, title = "invitation.state_conflict", 409, "Not possible in the invitation's state"


class CustomerOfAnotherSalesRep(Forbidden):
    def __init__(self, codes: list[str], sales_rep: str | None):
        super().__init__("auth.customer_of_another_sales_rep",
                         f"Customers {', '.join(sorted(codes))} are not assigned to your sales rep code "
                         f"{sales_rep!r}; a sales rep invites only their own customers.")


class NothingToInvite(DomainError):
    code, status, title = "invitation.nothing_selected", 422, "No customer to invite"

    def __init__(self):
        super().__init__("No customer is selected, or none matches the filter among the customers without a "
                         "portal username. Change the selection or the filter.")


class AddressForUnselectedCustomer(DomainError):
    code, status, title = "invitation.address_for_unselected_customer", 422, "Address for a customer not selected"

    def __init__(self, customer_ids: list[str]):
        super().__init__(f"Addresses were given for customers that are not selected: {', '.join(customer_ids)}. "
                         "Select them too, or leave their addresses out.")
        self.field = "addresses"
