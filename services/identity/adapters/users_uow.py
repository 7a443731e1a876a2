"""The unit of work for user commands: the event store plus the user tables, in one transaction."""
from __future__ import annotations

from eventkit.uow import UnitOfWork

from .oidc_tables import Clients, Codes, Sessions
from .second_factor_tables import Passkeys, PendingLogins, RecoveryCodes, TotpCredentials
from .user_tables import LinkTokens, LoginFailures, Passwords, RefreshTokens, ResetRequests, Usernames


class UsersUnitOfWork(UnitOfWork):
    def __enter__(self) -> "UsersUnitOfWork":
        super().__enter__()
        self.usernames = Usernames(self.conn)
        self.passwords = Passwords(self.conn)
        self.link_tokens = LinkTokens(self.conn)
        self.refresh_tokens = RefreshTokens(self.conn)
        self.login_failures = LoginFailures(self.conn)
        self.reset_requests = ResetRequests(self.conn)
        self.oidc_clients = Clients(self.conn)
        self.oidc_codes = Codes(self.conn)
        self.oidc_sessions = Sessions(self.conn)
        self.totp = TotpCredentials(self.conn)
        self.recovery_codes = RecoveryCodes(self.conn)
        self.passkeys = Passkeys(self.conn)
        self.pending_logins = PendingLogins(self.conn)
        return self
