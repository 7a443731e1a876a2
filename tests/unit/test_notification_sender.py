"""The sender loop's decisions, with fakes of SMTP and of the queue: what is recorded when a message is
accepted, refused for good, refused for now, or when the server goes away mid-batch."""
from contextlib import contextmanager
from datetime import datetime, timezone

from notifications.adapters.smtp import SendFailure
from notifications.service_layer.messages import Built, Unbuildable
from notifications.service_layer.sending import Sender

LATER = datetime(2030, 1, 1, tzinfo=timezone.utc)


class FakeBuilder:
    def build(self, delivery):
        if delivery["recipient"].startswith("broken"):
            raise Unbuildable("template_error", "'x' is undefined")
        return Built(delivery["recipient"], f"<{delivery['recipient']}>", "Subject", "default")


class FakeMailer:
    """Answers each recipient as told: None accepts, a SendFailure refuses; 'down' refuses the connection."""

    def __init__(self, answers=None, down=False):
        self.answers, self.down, self.sent = answers or {}, down, []

    @contextmanager
    def session(self):
        if self.down:
            raise SendFailure("ConnectionRefusedError: refused", None, transient=True, connection=True)
        yield self

    def send(self, message):
        answer = self.answers.get(message)
        if answer:
            raise answer
        self.sent.append(message)


class FakeOutcomes:
    def __init__(self):
        self.recorded = []

    def sent(self, delivery, message_id, subject, template):
        self.recorded.append(("sent", delivery["recipient"]))

    def failed(self, delivery, reason, detail, smtp_code=None, message_id=None):
        self.recorded.append(("failed", delivery["recipient"], reason, smtp_code))

    def transient(self, delivery, detail, smtp_code):
        self.recorded.append(("retry", delivery["recipient"], smtp_code))
        return LATER

    def untried(self, deliveries, at):
        self.recorded.extend(("untried", d["recipient"], at) for d in deliveries)


def send(mailer, *recipients):
    outcomes = FakeOutcomes()
    Sender(None, mailer, None, None, outcomes, {}, None)._send_batch(FakeBuilder(), [{"recipient": r} for r in recipients])
    return outcomes.recorded


def test_each_message_is_recorded_as_it_went():
    mailer = FakeMailer({"gone@x": SendFailure("550 no such user", 550, transient=False),
                         "busy@x": SendFailure("451 busy", 451, transient=True)})
    assert send(mailer, "ok@x", "gone@x", "busy@x", "broken@x", "also@x") == [
        ("sent", "ok@x"), ("failed", "gone@x", "rejected", 550), ("retry", "busy@x", 451),
        ("failed", "broken@x", "template_error", None), ("sent", "also@x")]
    assert mailer.sent == ["ok@x", "also@x"]


def test_when_the_session_drops_the_rest_of_the_batch_waits_untried():
    mailer = FakeMailer({"b@x": SendFailure("connection lost", None, transient=True, connection=True)})
    assert send(mailer, "a@x", "b@x", "c@x", "d@x") == [
        ("sent", "a@x"), ("retry", "b@x", None), ("untried", "c@x", LATER), ("untried", "d@x", LATER)]


def test_a_server_that_cannot_be_reached_makes_every_claimed_message_a_retry():
    assert send(FakeMailer(down=True), "a@x", "b@x") == [("retry", "a@x", None), ("retry", "b@x", None)]
