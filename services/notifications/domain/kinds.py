"""The kinds of e-mail Portico sends, who receives each, and the variables its templates may use.

Each kind's variables, with a sample value, are the whole contract between the service and a tenant's
templates: a template is checked against the sample when saved (StrictUndefined), and the service
builds exactly these variables when it sends. A link variable carries a one-time token and is filled
in only at send time.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Who receives an e-mail of a kind.
EVENT = "event"                    # the addresses the event names
USER = "user"                      # the user's addresses, as the users projection knows them
ADMINISTRATORS = "administrators"  # the tenant's username administrators (set in the invitations service)

COMMON = {"company_name": "Acme Distribution", "portal_url": "https://portal.example/acme",
          "login_url": "https://portal.example/acme/login", "recipient": "ada@customer.example"}
_EXPIRES = "2026-01-16 09:30 UTC"


@dataclass(frozen=True)
class Kind:
    name: str
    description: str
    audience: str
    variables: dict[str, Any]
    links: tuple[str, ...] = field(default=())

    def sample(self) -> dict[str, Any]:
        """A context to render this kind's templates against: a preview, or the check when saving."""
        return {**COMMON, **self.variables}

    def names(self) -> list[str]:
        return sorted(self.sample())


_ALL = (
    Kind("welcome", "A new user's login instructions and, unless staff gave a password, the set-password link.",
         EVENT, {"username": "ada.lovelace", "user_type": "portal", "customer_name": "Lovelace Engines Ltd",
                 "set_password_url": "https://portal.example/acme/set-password?token=SAMPLE",
                 "link_expires_at": _EXPIRES}, links=("set_password_url",)),
    Kind("password_reset", "The link to choose a new password, sent when someone asks for it.", EVENT,
         {"username": "ada.lovelace", "reset_url": "https://portal.example/acme/reset-password?token=SAMPLE",
          "link_expires_at": _EXPIRES}, links=("reset_url",)),
    Kind("invitation", "An invitation to a customer to register for the portal.", EVENT,
         {"customer_name": "Lovelace Engines Ltd", "customer_code": "LOVE01", "invited_by": "sam.sales",
          "invitation_url": "https://portal.example/acme/invitations/accept?token=SAMPLE",
          "link_expires_at": _EXPIRES}, links=("invitation_url",)),
    Kind("registration_received", "To the person who registered: received, waiting for approval.", EVENT,
         {"username": "ada.lovelace", "first_name": "Ada", "last_name": "Lovelace",
          "business_name": "Lovelace Engines Ltd", "customer_name": "Lovelace Engines Ltd"}),
    Kind("username_review", "To the tenant's username administrators: a new username to review and approve.",
         ADMINISTRATORS, {"username": "ada.lovelace", "first_name": "Ada", "last_name": "Lovelace",
                          "business_name": "Lovelace Engines Ltd", "customer_name": "Lovelace Engines Ltd",
                          "customer_code": "LOVE01", "user_emails": ["ada@customer.example"],
                          "source": "invitation"}),
    Kind("approved", "The user's username was approved: they can log in now.", USER, {"username": "ada.lovelace"}),
    Kind("disabled", "The user may no longer log in.", USER,
         {"username": "ada.lovelace", "reason": "left the company"}),
    Kind("password_changed", "A notice that the user's password changed, in case it was not them.", USER,
         {"username": "ada.lovelace", "changed_at": "2026-01-15 09:30 UTC"}),
    Kind("second_factor_changed", "A notice that the second step of the user's login changed (an authenticator app "
         "or passkey set up or removed, a recovery code used), in case it was not them.", USER,
         {"username": "ada.lovelace", "change": "An authenticator app was set up for logging in to your account.",
          "changed_at": "2026-01-15 09:30 UTC"}),
)
KINDS: dict[str, Kind] = {kind.name: kind for kind in _ALL}
