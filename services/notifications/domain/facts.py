"""What the service knows besides the event when it addresses an e-mail: the user, their customer,
the tenant, and the tenant's sender settings."""
from __future__ import annotations

from dataclasses import dataclass, field
from email.utils import formataddr

from eventkit.header_text import one_line


@dataclass(frozen=True)
class UserFacts:
    username: str
    user_type: str
    customer_id: str | None
    emails: tuple[str, ...]


@dataclass(frozen=True)
class CustomerFacts:
    code: str
    name: str
    emails: tuple[str, ...]


@dataclass(frozen=True)
class TenantFacts:
    username_administrators: tuple[str, ...] = ()
    company_name: str | None = None


@dataclass(frozen=True)
class SenderSettings:
    """Whom a tenant's e-mails come from, where replies go, and where its portal is."""

    from_address: str
    from_name: str | None
    reply_to: str | None
    portal_url: str

    def from_header(self, company_name: str | None = None) -> str:
        """The From header; without a From name of its own, the distributor's company name, so customers
        see who writes rather than a bare address. Each part one line, whatever was stored."""
        name, address = one_line(self.from_name or company_name or ""), one_line(self.from_address)
        if not address.isascii():  # stored before the API refused it: formataddr would raise, for every tenant
            return address  # the sender fails it cleanly unless the server offers SMTPUTF8
        return formataddr((name, address))


@dataclass(frozen=True)
class Facts:
    sender: SenderSettings
    tenant: TenantFacts = field(default_factory=TenantFacts)
    user: UserFacts | None = None
    customer: CustomerFacts | None = None


def reply_to_on_behalf_of(user_emails, customer: CustomerFacts | None, tenant_default: str | None) -> str | None:
    """Seed 002: replies go to the user, else to their customer, else to the tenant's address."""
    for candidates in (user_emails or (), customer.emails if customer else ()):
        if candidates:
            return candidates[0]
    return tenant_default
