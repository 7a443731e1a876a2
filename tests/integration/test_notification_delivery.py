"""Delivery against an SMTP server of the test's own (never the shared sink): while it is down e-mails
wait and are retried, then arrive once; a 5xx is final and a 4xx retried, each recorded and published.

Each test runs a notifications instance of its own: own database, own topics (fed directly with
identity's events, as identity's relay would publish them), its loops stopped at the end."""
from __future__ import annotations

import uuid
from datetime import datetime, timedelta, timezone

import pytest
from aiosmtpd.handlers import Mailbox
from kafka import KafkaProducer

import contracts
from contracts.identity_users import SET_PASSWORD_CONTEXT
from eventkit import sealed
from eventkit.cloudevents import to_record
from eventkit.envelope import StoredEvent
from eventkit.kafka import ensure_topics
from notifications.entrypoints.app import create_app

from ..conftest import Loops, eventually
from ..fixtures.notifications import PrivateSink, notifications_settings, text_of
from ..fixtures.settings import KEYS
from .notification_helpers import arrived


class PickyMailbox(Mailbox):
    """Refuses nobody@ for good (550); answers busy@ 451 twice, stuck@ always."""

    def __init__(self, maildir):
        super().__init__(maildir)
        self.busy_left = 2

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.startswith("nobody@"):
            return "550 5.1.1 No such user here"
        if address.startswith("stuck@") or (address.startswith("busy@") and self.busy_left > 0):
            self.busy_left -= address.startswith("busy@")
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def isolated(infra, database, topic_prefix, identity_app, tmp_path):
    """isolated(handler=None, smtputf8=False, held=(), **config) -> Instance: a notifications instance sending
    to its own sink (offering SMTPUTF8 if asked), its loops running but those `held` (Instance.release starts them)."""
    running, apps = Loops(), []

    def start(handler=None, smtputf8=False, held=(), **config):
        maildir = tmp_path / f"mail-{len(apps)}"
        for sub in ("cur", "new", "tmp"):
            (maildir / sub).mkdir(parents=True)
        sink = PrivateSink(maildir, handler(maildir) if handler else None, smtputf8=smtputf8)
        sink.start()
        prefix = f"{topic_prefix}mail-{uuid.uuid4().hex[:6]}."
        ensure_topics(infra.kafka_bootstrap, contracts.TOPICS, prefix)
        app = create_app(notifications_settings(infra, database, topic_prefix, identity_app,
                                                f"notifications_{uuid.uuid4().hex[:6]}", TOPIC_PREFIX=prefix,
                                                SMTP_PORT=sink.port, **config))
        apps.append((app, sink))
        loops = app.extensions["notifications"].loops()
        for name, loop in loops.items():
            if name not in held:
                running.start(name, loop)
        return Instance(app, sink, infra.kafka_bootstrap, prefix, lambda name: running.start(name, loops[name]))

    yield start
    running.close()
    for app, sink in apps:
        sink.stop()
        app.extensions["notifications"].close()


class Instance:
    def __init__(self, app, sink: PrivateSink, bootstrap: str, prefix: str, release=None):
        self.app, self.sink, self.bootstrap, self.prefix, self.release = app, sink, bootstrap, prefix, release
        self.pool = app.extensions["notifications"].pool

    def user_created(self, tenant: str, *emails: str, username: str | None = None) -> str:
        """Publish identity's UserCreated (welcome e-mail, set-password link) as its relay would; the token."""
        token, user_id = f"token-{uuid.uuid4().hex}", str(uuid.uuid4())
        data = {"user_id": user_id, "username": username or f"user-{user_id[:8]}", "kind": "management",
                "customer_id": str(uuid.uuid4()), "customer_code": "C1", "contact_id": None,
                "receivable_account": "AR-C1", "emails": list(emails), "areas": ["orders"], "own_orders_only": False,
                "welcome_email_requested": True, "password_setup": "link",
                "set_password_token": sealed.seal(token, KEYS["SEALED_PUBLIC_KEY"], SET_PASSWORD_CONTEXT),
                "set_password_expires_at": (datetime.now(timezone.utc) + timedelta(days=1)).isoformat(),
                "paired_with": None}
        contracts.catalogue().validate("portico.identity.user.created", 1, data)
        event = StoredEvent(1, f"user-{user_id}", "user", 1, uuid.uuid4(), "portico.identity.user.created", 1, tenant,
                            datetime.now(timezone.utc), "staff-1", uuid.uuid4(), None, None, data, "/portico/identity")
        key, value, headers = to_record(event)
        producer = KafkaProducer(bootstrap_servers=self.bootstrap, acks="all")
        try:
            producer.send(f"{self.prefix}portico.identity", key=key, value=value, headers=headers).get(timeout=10)
        finally:
            producer.close()
        return token

    def delivery(self, recipient: str) -> dict:
        with self.pool.connection() as conn:
            return conn.execute("SELECT * FROM deliveries WHERE recipient = %s", (recipient,)).fetchone()

    def published(self, tenant: str) -> list[dict]:
        """EmailSent and EmailFailed as appended to the instance's event store (its relay publishes them)."""
        with self.pool.connection() as conn:
            return conn.execute("SELECT event_type, data FROM events WHERE tenant_id = %s ORDER BY position",
                                (tenant,)).fetchall()


def test_emails_wait_while_the_smtp_server_is_down_and_arrive_once_after(isolated, tenant):
    instance = isolated()
    before, during = f"before@{tenant}.example", f"during@{tenant}.example"
    instance.user_created(tenant, before)
    arrived(instance.sink.mail, before, "welcome")

    instance.sink.stop()
    token = instance.user_created(tenant, during)

    def retried():
        row = instance.delivery(during)
        assert row is not None and row["status"] == "queued" and row["attempts"] >= 2, row
        assert "Connection" in row["last_error"] or "refused" in row["last_error"], row["last_error"]
    eventually(retried)
    instance.sink.start()

    [message] = arrived(instance.sink.mail, during, "welcome")
    assert f"set-password?token={token}" in text_of(message)
    sent = eventually(lambda: _status(instance, during, "sent"))
    assert sent["attempts"] >= 3 and sent["last_error"] is None
    assert "links" not in sent["context"]  # the sealed token is gone once the delivery has ended

    def announced():
        assert [e["event_type"] for e in instance.published(tenant)] == ["portico.notifications.email.sent"] * 2
    eventually(announced)
    assert len(instance.sink.mail.to(before)) == len(instance.sink.mail.to(during)) == 1


def test_a_5xx_is_final_a_4xx_is_retried_and_retries_end(isolated, tenant):
    instance = isolated(PickyMailbox, RETRY_MAX_ATTEMPTS=4)
    ok, nobody, busy, stuck = (f"{name}@{tenant}.example" for name in ("ok", "nobody", "busy", "stuck"))
    instance.user_created(tenant, ok, nobody, busy, stuck)

    arrived(instance.sink.mail, ok, "welcome")
    arrived(instance.sink.mail, busy, "welcome")
    rejected, exhausted = _status(instance, nobody, "failed"), _status(instance, stuck, "failed")
    assert (rejected["smtp_code"], rejected["attempts"]) == (550, 1)
    assert (exhausted["smtp_code"], exhausted["attempts"]) == (451, 4)
    assert _status(instance, busy, "sent")["attempts"] == 3

    def published():
        events = instance.published(tenant)
        assert len(events) == 4
        return {e["data"]["recipient"]: e for e in events}
    events = eventually(published)
    assert events[nobody]["event_type"] == events[stuck]["event_type"] == "portico.notifications.email.failed"
    assert (events[nobody]["data"]["reason"], events[stuck]["data"]["reason"]) == ("rejected", "retries_exhausted")
    assert events[busy]["data"]["attempts"] == 3
    assert [len(instance.sink.mail.to(a)) for a in (ok, nobody, busy, stuck)] == [1, 0, 1, 0]


def _status(instance, recipient: str, status: str) -> dict:
    def reached():
        row = instance.delivery(recipient)
        assert row is not None and row["status"] == status, row
        return row
    return eventually(reached)
