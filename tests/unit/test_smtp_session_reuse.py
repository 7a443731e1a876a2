"""The sender's SMTP session outlives its batch: reused while the server answers a NOOP, replaced when
it does not or when a failure ended it, quit when the sender stops."""
import smtplib
from email.message import EmailMessage

import pytest

from notifications.adapters import smtp
from notifications.adapters.smtp import SendFailure, SmtpMailer


class FakeServer:
    """What smtplib.SMTP talks to: every connection opened, and what each was asked."""

    def __init__(self):
        self.connections: list["FakeClient"] = []


class FakeClient:
    server: FakeServer

    def __init__(self, host, port, timeout=None):
        self.calls, self.dropped, self.fail_next_send = [], False, False
        self.server.connections.append(self)

    def ehlo_or_helo_if_needed(self):
        pass

    def has_extn(self, name):
        return False

    def noop(self):
        self.calls.append("NOOP")
        if self.dropped:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        return 250, b"OK"

    def sendmail(self, sender, recipients, message, options):
        if self.fail_next_send or self.dropped:
            raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")
        self.calls.append(("MAIL", recipients[0]))
        return {}

    def rset(self):
        self.calls.append("RSET")

    def quit(self):
        self.calls.append("QUIT")

    def close(self):
        self.calls.append("CLOSE")


@pytest.fixture
def server(monkeypatch):
    server = FakeServer()
    monkeypatch.setattr(FakeClient, "server", server, raising=False)
    monkeypatch.setattr(smtp.smtplib, "SMTP", FakeClient)
    return server


def message(to: str) -> EmailMessage:
    m = EmailMessage()
    m["To"], m["Subject"] = to, "Hello"
    m.set_content("Hello")
    return m


def batch(mailer: SmtpMailer, *recipients: str) -> None:
    with mailer.session() as session:
        for to in recipients:
            session.send(message(to), "from@x.example", to)


def test_batches_share_one_session_checked_with_a_noop_between_them(server):
    mailer = SmtpMailer("smtp.example", 25)
    batch(mailer, "a@x.example", "b@x.example")
    batch(mailer, "c@x.example")
    assert len(server.connections) == 1
    assert server.connections[0].calls == [("MAIL", "a@x.example"), ("MAIL", "b@x.example"), "NOOP",
                                           ("MAIL", "c@x.example")]


def test_a_session_the_server_dropped_while_idle_is_replaced_and_the_batch_goes_out(server):
    mailer = SmtpMailer("smtp.example", 25)
    batch(mailer, "a@x.example")
    server.connections[0].dropped = True
    batch(mailer, "b@x.example")
    assert len(server.connections) == 2
    assert server.connections[1].calls == [("MAIL", "b@x.example")]


def test_a_session_a_failure_ended_is_not_reused(server):
    mailer = SmtpMailer("smtp.example", 25)
    batch(mailer, "a@x.example")
    server.connections[0].fail_next_send = True
    with pytest.raises(SendFailure) as failure:
        batch(mailer, "b@x.example")
    assert failure.value.connection and failure.value.transient
    batch(mailer, "c@x.example")
    assert len(server.connections) == 2
    assert server.connections[0].calls[-1] == "QUIT"  # closed at the end of the failed batch, no NOOP tried
    assert server.connections[1].calls == [("MAIL", "c@x.example")]


def test_stopping_the_sender_quits_the_kept_session(server):
    mailer = SmtpMailer("smtp.example", 25)
    batch(mailer, "a@x.example")
    mailer.close()
    mailer.close()  # nothing kept any more: nothing to do
    assert server.connections[0].calls[-1] == "QUIT" and server.connections[0].calls.count("QUIT") == 1
