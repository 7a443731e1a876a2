"""SMTP failures sorted into 'try again later' and 'final', as the delivery queue needs them."""
import smtplib

import pytest

from notifications.adapters.smtp import classify


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
