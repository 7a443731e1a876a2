"""Send e-mail over SMTP (smtplib), telling a failure worth retrying from one that is final.

Transient: the server is unreachable or drops the connection, or answers 4xx. Permanent: it answers
5xx (the recipient does not exist, the message is refused), or the message cannot travel to it at all
(a non-ASCII address to a server without SMTPUTF8). One session sends many messages; whatever goes
wrong with one of them (even an error smtplib was never meant to raise) ends as a SendFailure of that
message, and the session goes on if the server still answers. The session outlives its batch: the
next batch reuses it once the server answers a NOOP, and opens a new one if it does not.
"""
from __future__ import annotations

import smtplib
import ssl
from contextlib import contextmanager
from email.message import Message

from . import mime


class SendFailure(Exception):
    """`transient`: try again later. `connection`: the session is gone, so are the messages after this one."""

    def __init__(self, detail: str, code: int | None, transient: bool, connection: bool = False,
                 reason: str = "rejected"):
        super().__init__(detail)
        self.code, self.transient, self.connection, self.reason = code, transient, connection, reason


def classify(error: Exception) -> SendFailure:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, message = next(iter(error.recipients.values()))
        return _by_code(code, message)
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return SendFailure(f"connection lost: {error}", None, transient=True, connection=True)
    if isinstance(error, smtplib.SMTPResponseException):
        failure = _by_code(error.smtp_code, error.smtp_error)
        failure.connection = failure.connection or isinstance(error, smtplib.SMTPConnectError)
        return failure
    if isinstance(error, (OSError, smtplib.SMTPException)):  # refused, reset, timed out, unresolvable
        return SendFailure(f"{type(error).__name__}: {error}", None, transient=True, connection=True)
    raise error


def _by_code(code: int, message) -> SendFailure:
    text = message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    # 421: the server is closing the session; whatever comes after this message needs a new one.
    return SendFailure(f"{code} {text}", code, transient=400 <= code < 500, connection=code == 421)


class Session:
    def __init__(self, client: smtplib.SMTP):
        self.client = client
        self.broken = False  # a failure ended the connection: the next batch needs a new session

    def send(self, message: Message, sender: str, recipient: str, international: bool = False) -> None:
        """Hand one message over, from and to the envelope addresses given (never read back from its
        headers); raise SendFailure. `international`: an address in its headers is not ASCII. Returning
        means the server answered 250 to DATA."""
        try:
            self._send(message, sender, recipient, international)
        except SendFailure as failure:
            self.broken = self.broken or failure.connection
            raise

    def _send(self, message: Message, sender: str, recipient: str, international: bool) -> None:
        try:
            international = international or not (sender + recipient).isascii()
            self.client.ehlo_or_helo_if_needed()
            if international and not self.client.has_extn("smtputf8"):
                raise SendFailure("the mail server does not accept addresses with non-ASCII characters"
                                  " (it does not offer SMTPUTF8)", None, transient=False,
                                  reason="address_unsupported")
            options = ["SMTPUTF8", "BODY=8BITMIME"] if international else []
            refused = self.client.sendmail(sender, [recipient], mime.flatten(message, utf8=international), options)
        except SendFailure:
            raise
        except (OSError, smtplib.SMTPException) as error:
            raise classify(error) from error
        except Exception as error:  # not the server's answer: this message cannot be sent as it is
            raise self._unsendable(error) from error
        if refused:  # sendmail raises when all are refused; we send to one recipient per message
            raise _by_code(*next(iter(refused.values())))

    def alive(self) -> bool:
        """Whether the server still answers on this connection (a NOOP: one round trip)."""
        if self.broken:
            return False
        try:
            return self.client.noop()[0] == 250
        except Exception:  # dropped while idle, timed out: any failure means a new session
            return False

    def close(self) -> None:
        try:
            self.client.quit()
        except Exception:  # the session is over either way; QUIT is a courtesy
            self.client.close()

    def _unsendable(self, error: Exception) -> SendFailure:
        """A final failure of this message; the session goes on if the server still answers a RSET."""
        try:
            self.client.rset()
            connection = False
        except Exception:
            connection = True
        return SendFailure(f"the message could not be sent: {type(error).__name__}: {error}", None,
                           transient=False, connection=connection, reason="unsendable")


class SmtpMailer:
    """Keeps one SMTP session open from batch to batch; one mailer per sender thread (not shared)."""

    def __init__(self, host: str, port: int, timeout: float = 30, starttls: bool = False,
                 username: str | None = None, password: str | None = None):
        self.host, self.port, self.timeout = host, port, timeout
        self.starttls, self.username, self.password = starttls, username, password
        self._kept: Session | None = None

    @contextmanager
    def session(self):
        """An open SMTP session: the last batch's if the server still answers it, else a new one; raise
        SendFailure (connection=True) if the server cannot be reached. Kept open afterwards unless broken."""
        kept, self._kept = self._kept, None
        if kept is not None and not kept.alive():
            kept.close()
            kept = None
        session = kept or self._open()
        try:
            yield session
        except BaseException:
            session.close()
            raise
        if session.broken:
            session.close()
        else:
            self._kept = session

    def close(self) -> None:
        """End the kept session (the sender is stopping)."""
        kept, self._kept = self._kept, None
        if kept is not None:
            kept.close()

    def _open(self) -> Session:
        try:
            client = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
            if self.starttls:
                client.starttls(context=ssl.create_default_context())
            if self.username:
                client.login(self.username, self.password or "")
        except Exception as error:
            failure = classify(error)
            failure.connection = True
            raise failure from error
        return Session(client)
