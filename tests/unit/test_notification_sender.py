"""The sender loop's decisions, with fakes of SMTP and of the queue: what is recorded when a message is
accepted, refused for good, refused for now, or when the server goes away mid-batch; and, with the real
message builder and renderer, that one tenant's bad data fails its own delivery and nobody else's."""
import email
import email.policy
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

from notifications.adapters import mime
from notifications.adapters.rendering import Renderer, Template, default_template
from notifications.adapters.smtp import SendFailure
from notifications.domain.facts import SenderSettings
from notifications.domain.kinds import KINDS
from notifications.service_layer.messages import Built, MessageBuilder, Unbuildable
from notifications.service_layer.sending import Sender

LATER = datetime(2030, 1, 1, tzinfo=timezone.utc)


class FakeBuilder:
    def build(self, delivery):
        if delivery["recipient"].startswith("broken"):
            raise Unbuildable("template_error", "'x' is undefined")
        recipient = delivery["recipient"]
        return Built(recipient, f"<{recipient}>", "Subject", "default", "from@x", recipient)


class FakeMailer:
    """Answers each recipient as told: None accepts, a SendFailure refuses; 'down' refuses the connection."""

    def __init__(self, answers=None, down=False):
        self.answers, self.down, self.sent = answers or {}, down, []

    @contextmanager
    def session(self):
        if self.down:
            raise SendFailure("ConnectionRefusedError: refused", None, transient=True, connection=True)
        yield self

    def send(self, message, sender, recipient, international=False):
        answer = self.answers.get(recipient)
        if answer:
            raise answer
        self.sent.append(message if isinstance(message, str) else (message, sender, recipient))


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


def test_a_final_failure_that_broke_the_session_sends_the_rest_again_at_once():
    mailer = FakeMailer({"b@x": SendFailure("could not be sent", None, transient=False, connection=True,
                                            reason="unsendable")})
    recorded = send(mailer, "a@x", "b@x", "c@x")
    assert recorded[:2] == [("sent", "a@x"), ("failed", "b@x", "unsendable", None)]
    [(untried, recipient, at)] = recorded[2:]
    assert (untried, recipient) == ("untried", "c@x") and at <= datetime.now(timezone.utc)


class TenantTemplates(MessageBuilder):
    """The real builder and renderer; only the template store is a fake: (tenant, kind) -> its template."""

    def __init__(self, templates: dict):
        super().__init__(None, Renderer(), None)
        self.own = templates

    def _template(self, tenant_id, kind):
        own = self.own.get((tenant_id, kind))
        return (own, "tenant") if own else (default_template(kind), "default")


def _delivery(tenant, recipient, username="ada", from_name="Acme", from_address="no-reply@acme.example"):
    sample = {name: value for name, value in KINDS["approved"].sample().items() if name not in KINDS["approved"].links}
    return {"delivery_id": uuid.uuid4(), "tenant_id": tenant, "event_id": uuid.uuid4(), "kind": "approved",
            "recipient": recipient, "reply_to": None, "attempts": 0,
            "sender": SenderSettings(from_address, from_name, None, "https://p.example").from_header(),
            "context": {**sample, "username": username, "links": {}}}


def _send_real(builder, *deliveries):
    outcomes, mailer = FakeOutcomes(), FakeMailer()
    Sender(None, mailer, None, None, outcomes, {}, None)._send_batch(builder, list(deliveries))
    return outcomes.recorded, mailer.sent


def test_a_tenants_template_that_fails_on_real_data_fails_that_email_alone():
    poisoned = Template("Hello", "{% if username == 'x' %}{{ 1/0 }}{% endif %}Welcome {{ username }}")
    builder = TenantTemplates({("red", "approved"): poisoned})
    recorded, sent = _send_real(builder, _delivery("red", "x@red.example", username="x"),
                                _delivery("red", "y@red.example", username="y"),
                                _delivery("blue", "z@blue.example"))
    assert recorded == [("failed", "x@red.example", "template_error", None), ("sent", "y@red.example"),
                        ("sent", "z@blue.example")]
    assert [recipient for _, _, recipient in sent] == ["y@red.example", "z@blue.example"]


def test_a_from_name_with_a_line_break_stays_inside_the_from_header():
    recorded, [(message, sender, _)] = _send_real(
        TenantTemplates({}), _delivery("red", "x@red.example", from_name="Shop\r\nBcc : thief@evil.example"))
    assert recorded == [("sent", "x@red.example")]
    wire = mime.flatten(message)
    parsed = email.message_from_bytes(wire, policy=email.policy.default)
    assert sender == "no-reply@acme.example"  # the envelope sender is the tenant's address, not the injected one
    header_lines = wire.split(b"\r\n\r\n")[0].split(b"\r\n")
    assert parsed["Bcc"] is None and not [line for line in header_lines if line.lower().startswith(b"bcc")]
    assert parsed["From"].addresses[0].addr_spec == "no-reply@acme.example"
    assert parsed["From"].addresses[0].display_name == "Shop Bcc : thief@evil.example"
    assert parsed["Message-ID"].endswith("@acme.example>")


def test_an_address_that_does_not_parse_fails_its_email_alone():
    recorded, sent = _send_real(TenantTemplates({}), _delivery("red", "x@red.example", from_address="not an address"),
                                _delivery("blue", "z@blue.example"))
    assert recorded == [("failed", "x@red.example", "address_invalid", None), ("sent", "z@blue.example")]


def test_a_reply_to_with_a_header_after_a_line_break_is_not_an_address():
    delivery = {**_delivery("red", "x@red.example"), "reply_to": "shop@red.example\r\nBcc: thief@evil.example"}
    recorded, sent = _send_real(TenantTemplates({}), delivery)
    assert recorded == [("failed", "x@red.example", "address_invalid", None)] and sent == []


class SlowRenderer(Renderer):
    """Renders for real; the clock says each of one tenant's renders took 1.5 s (no test waits for it)."""

    def __init__(self, clock, slow_tenant_text: str):
        super().__init__()
        self.clock, self.slow = clock, slow_tenant_text

    def render(self, template, context):
        if template.text == self.slow:
            self.clock.now += 1.5
        return super().render(template, context)


class Clock:
    now = 0.0

    def __call__(self):
        return self.now


def test_a_tenant_whose_template_is_slow_gives_up_its_turn_and_the_others_are_sent():
    clock, slow = Clock(), "Slow {{ username }}"
    builder = TenantTemplates({("red", "approved"): Template("Hi", slow)})
    builder.renderer, builder.clock = SlowRenderer(clock, slow), clock
    recorded, _ = _send_real(builder, *[_delivery("red", f"r{n}@red.example") for n in range(4)],
                             _delivery("blue", "b@blue.example"))
    assert recorded[:2] == [("sent", "r0@red.example"), ("sent", "r1@red.example")]  # 3 s: over its 2 s
    assert [(what, who) for what, who, *_ in recorded[2:]] == [
        ("untried", "r2@red.example"), ("untried", "r3@red.example"), ("sent", "b@blue.example")]
