"""SMTP failures sorted into 'try again later' and 'final', as the delivery queue needs them; a session
(with a fake of smtplib's client) that fails one message cleanly and goes on with the next."""
import smtplib

import pytest

from notifications.adapters import mime
from notifications.adapters.rendering import Rendered
from notifications.adapters.smtp import SendFailure, Session, classify


@pytest.mark.parametrize("error, transient, connection, code", [
    (ConnectionRefusedError(111, "refused"), True, True, None),
    (TimeoutError("timed out"), True, True, None),
    (smtplib.SMTPServerDisconnected("gone"), True, True, None),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (450, b"mailbox busy")}), True, False, 450),
    (smtplib.SMTPRecipientsRefused({"a@x.example": (550, b"no such user")}), False, False, 550),
    (smtplib.SMTPDataError(554, b"rejected as spam"), False, False, 554),
    (smtplib.SMTPDataError(451, b"try later"), True, False, 451),
    (smtplib.SMTPResponseException(421, b"closing"), True, True, 421),
    (smtplib.SMTPConnectError(554, b"go away"), False, True, 554),
])
def test_4xx_and_lost_connections_are_transient_5xx_final(error, transient, connection, code):
    failure = classify(error)
    assert (failure.transient, failure.connection, failure.code) == (transient, connection, code)


def test_a_programming_error_is_not_mistaken_for_an_smtp_failure():
    with pytest.raises(KeyError):
        classify(KeyError("bug"))


class FakeClient:
    """smtplib.SMTP as Session uses it: which extensions the server offers, what sendmail does."""

    def __init__(self, extensions=(), sendmail_error=None, rset_error=None):
        self.extensions, self.sendmail_error, self.rset_error = set(extensions), sendmail_error, rset_error
        self.sent = []

    def ehlo_or_helo_if_needed(self):
        pass

    def has_extn(self, name):
        return name.lower() in self.extensions

    def sendmail(self, sender, recipients, data, options):
        if self.sendmail_error:
            raise self.sendmail_error
        self.sent.append((sender, recipients, data, options))
        return {}

    def rset(self):
        if self.rset_error:
            raise self.rset_error


def _message(recipient: str):
    rendered = Rendered("Hello", "Welcome", None)
    return mime.build(rendered, sender='"Acme" <no-reply@acme.example>', recipient=recipient, reply_to=None,
                      message_id="<1@acme.example>", tenant_id="red", kind="welcome", event_id=1, boundary="b1")


def test_a_non_ascii_address_fails_for_good_where_the_server_has_no_smtputf8_and_the_session_goes_on():
    client = FakeClient()
    with pytest.raises(SendFailure) as refused:
        Session(client).send(_message("jöhn@x.example"), "no-reply@acme.example", "jöhn@x.example")
    assert (refused.value.transient, refused.value.connection, refused.value.reason) == (
        False, False, "address_unsupported")
    assert "SMTPUTF8" in str(refused.value) and client.sent == []
    Session(client).send(_message("ann@x.example"), "no-reply@acme.example", "ann@x.example")
    assert [recipients for _, recipients, _, _ in client.sent] == [["ann@x.example"]]


def test_a_non_ascii_address_goes_with_smtputf8_where_the_server_offers_it():
    client = FakeClient(extensions={"smtputf8", "8bitmime"})
    Session(client).send(_message("jöhn@x.example"), "no-reply@acme.example", "jöhn@x.example")
    [(sender, recipients, data, options)] = client.sent
    assert (sender, recipients, options) == ("no-reply@acme.example", ["jöhn@x.example"], ["SMTPUTF8", "BODY=8BITMIME"])
    assert "To: jöhn@x.example\r\n".encode() in data  # UTF-8 as RFC 6532 has it, not an RFC 2047 word


@pytest.mark.parametrize("rset_error, connection", [(None, False), (smtplib.SMTPServerDisconnected("gone"), True)])
def test_an_error_smtplib_was_not_meant_to_raise_fails_that_message_only(rset_error, connection):
    client = FakeClient(sendmail_error=TypeError("unexpected"), rset_error=rset_error)
    with pytest.raises(SendFailure) as failed:
        Session(client).send(_message("ann@x.example"), "no-reply@acme.example", "ann@x.example")
    assert (failed.value.transient, failed.value.connection, failed.value.reason) == (False, connection, "unsendable")
