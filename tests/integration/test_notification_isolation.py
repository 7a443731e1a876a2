"""One tenant's bad data stalls nobody else's e-mail: with the real broker, database and an SMTP server of
the test's own, a tenant template that fails only on real data, a From name holding a line break and a
non-ASCII address each fail (or send) their own delivery, recorded with the reason, and every other e-mail
claimed in the same batch arrives.

The sender is held until every delivery is queued, so all of them are claimed in one batch."""
from __future__ import annotations

from notifications.adapters import sender_table

from ..conftest import eventually
from .notification_helpers import arrived, deliveries
from .test_notification_delivery import isolated  # noqa: F401  (the fixture: an instance with its own sink)

SENDER = "notifications-sender-1"
POISONED = {"subject": "Welcome", "text": "{% if username == 'x' %}{{ 1 / 0 }}{% endif %}Hello {{ username }}",
            "html": None}


def _queued(instance, count: int) -> None:
    def all_queued():
        with instance.pool.connection() as conn:
            rows = conn.execute("SELECT status FROM deliveries").fetchall()
        assert [r["status"] for r in rows] == ["queued"] * count, rows
    eventually(all_queued, timeout=60)


def _ended(instance, recipient: str) -> dict:
    def ended():
        row = instance.delivery(recipient)
        assert row is not None and row["status"] in ("sent", "failed"), row
        return row
    return eventually(ended, timeout=60)


def _failed_events(instance, tenant: str) -> dict:
    def announced():
        events = [e for e in instance.published(tenant) if e["event_type"] == "portico.notifications.email.failed"]
        assert events
        return {e["data"]["recipient"]: e["data"] for e in events}
    return eventually(announced)


def test_a_tenants_template_that_fails_on_real_data_delays_no_other_email(isolated, staff_headers, tenant):  # noqa: F811
    instance = isolated(held=(SENDER,), SENDER_THREADS=1)
    red, blue = tenant, f"{tenant}-b"
    client = instance.app.test_client()
    saved = client.put(f"/v1/tenants/{red}/templates/welcome", json=POISONED, headers=staff_headers(red))
    assert saved.status_code == 200, saved.json  # it renders against the sample: only real data breaks it
    x, y, z = f"x@{red}.example", f"y@{red}.example", f"z@{blue}.example"
    instance.user_created(red, x, username="x")
    instance.user_created(red, y, username="y")
    instance.user_created(blue, z, username="z")
    _queued(instance, 3)
    instance.release(SENDER)

    assert "Hello y" in arrived(instance.sink.mail, y, "welcome")[0].get_body(("plain",)).get_content()
    arrived(instance.sink.mail, z, "welcome")
    failed = _ended(instance, x)
    assert (failed["status"], failed["failure_reason"], failed["attempts"]) == ("failed", "template_error", 1)
    assert "line 1" in failed["last_error"] and "divides by zero" in failed["last_error"]
    assert _failed_events(instance, red)[x]["reason"] == "template_error"
    [logged] = deliveries(client, red, staff_headers(red), recipient=x)
    assert logged["status"] == "failed" and "divides by zero" in logged["last_error"]
    assert instance.sink.mail.to(x) == []


def test_a_from_name_with_a_line_break_stays_in_its_header_and_changes_no_envelope(isolated, tenant):  # noqa: F811
    instance = isolated()
    with instance.pool.connection() as conn:  # stored before the API refused such names: the sender must cope
        sender_table.put(conn, tenant, {"from_name": "Shop\r\nBcc : thief@evil.example"}, "staff-1")
    ann = f"ann@{tenant}.example"
    instance.user_created(tenant, ann)

    [message] = arrived(instance.sink.mail, ann, "welcome")
    assert message["Bcc"] is None and message["X-MailFrom"] == "no-reply@portico.test"
    assert message["X-RcptTo"] == ann and instance.sink.mail.to("thief@evil.example") == []
    assert message["From"].addresses[0].addr_spec == "no-reply@portico.test"
    assert message["From"].addresses[0].display_name == "Shop Bcc : thief@evil.example"
    assert message["Message-ID"].endswith("@portico.test>")


def test_a_non_ascii_address_fails_cleanly_without_smtputf8_and_the_rest_of_its_batch_goes_on(
        isolated, tenant):  # noqa: F811
    instance = isolated(held=(SENDER,), SENDER_THREADS=1)
    jöhn, ann, bob = f"jöhn@{tenant}.example", f"ann@{tenant}.example", f"bob@{tenant}-b.example"
    instance.user_created(tenant, jöhn, ann)
    instance.user_created(f"{tenant}-b", bob)
    _queued(instance, 3)
    instance.release(SENDER)

    arrived(instance.sink.mail, ann, "welcome")
    arrived(instance.sink.mail, bob, "welcome")
    failed = _ended(instance, jöhn)
    assert (failed["status"], failed["failure_reason"], failed["attempts"]) == ("failed", "address_unsupported", 1)
    assert "SMTPUTF8" in failed["last_error"]
    assert _failed_events(instance, tenant)[jöhn]["reason"] == "address_unsupported"


def test_a_non_ascii_address_is_sent_with_smtputf8_where_the_server_offers_it(isolated, tenant):  # noqa: F811
    instance = isolated(smtputf8=True)
    jöhn = f"jöhn@{tenant}.example"
    instance.user_created(tenant, jöhn)

    [message] = arrived(instance.sink.mail, jöhn, "welcome")
    assert message["To"] == jöhn and message["X-RcptTo"] == jöhn
    assert _ended(instance, jöhn)["status"] == "sent"

    def announced():
        assert [e["event_type"] for e in instance.published(tenant)] == ["portico.notifications.email.sent"]
    eventually(announced)


def test_a_stored_non_ascii_from_address_fails_that_tenants_email_and_no_one_elses(isolated, tenant):  # noqa: F811
    instance = isolated()
    red, blue = tenant, f"{tenant}-b"
    with instance.pool.connection() as conn:  # stored before the API refused such addresses
        sender_table.put(conn, red, {"from_address": "shöp@red.example", "from_name": "Shop"}, "staff-1")
    ann, bob = f"ann@{red}.example", f"bob@{blue}.example"
    instance.user_created(red, ann)
    instance.user_created(blue, bob)

    arrived(instance.sink.mail, bob, "welcome")
    failed = _ended(instance, ann)
    assert (failed["status"], failed["failure_reason"]) == ("failed", "address_unsupported")
