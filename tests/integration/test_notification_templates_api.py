"""A tenant's own templates (seed 004, "Change Welcome Email Templates"): a broken one is refused when
saved, naming the part and line; a good one previews against a sample and is what the next e-mail uses."""
from __future__ import annotations

from ..fixtures.notifications import text_of
from .notification_helpers import add_customer, arrived

GOOD = {"subject": "Welcome to Acme, {{ username }}",
        "text": "Hi {{ username }},\n{% if set_password_url %}Start here: {{ set_password_url }}{% endif %}\n",
        "html": "<p>Hi {{ username }}</p>{% if set_password_url %}<a href=\"{{ set_password_url }}\">Start</a>"
                "{% endif %}"}


def url(tenant, *rest):
    return "/".join([f"/v1/tenants/{tenant}/templates", *rest])


def test_a_template_that_would_not_render_is_refused_when_saved(notifications, tenant, staff_headers):
    headers = staff_headers(tenant)
    broken = notifications.put(url(tenant, "welcome"), headers=headers, json={
        "subject": "Welcome {{ usrname }}", "text": "Hello\n{% if username %}\nno end", "html": None})

    assert broken.status_code == 422 and broken.content_type == "application/problem+json"
    assert broken.json["code"] == "template.invalid"
    assert [(e["field"], e["line"]) for e in broken.json["errors"]] == [("subject", 1), ("text", 2)]
    assert "usrname" in broken.json["errors"][0]["detail"]
    current = notifications.get(url(tenant, "welcome"), headers=headers).json
    assert current["source"] == "default" and "set_password_url" in current["variables"]


def test_preview_renders_a_draft_against_a_sample_event(notifications, tenant, staff_headers):
    headers = staff_headers(tenant)
    preview = notifications.post(url(tenant, "welcome", "preview"), headers=headers,
                                 json={**GOOD, "sample": {"username": "grace.hopper"}})
    assert preview.status_code == 200, preview.json
    assert preview.json["source"] == "draft"
    assert preview.json["subject"] == "Welcome to Acme, grace.hopper"
    assert "set-password?token=SAMPLE" in preview.json["text"]

    default = notifications.post(url(tenant, "invitation", "preview"), headers=headers)
    assert default.json["source"] == "default" and "invitations/accept?token=SAMPLE" in default.json["text"]
    unknown = notifications.post(url(tenant, "welcome", "preview"), headers=headers, json={"sample": {"pw": "x"}})
    assert unknown.status_code == 400 and unknown.json["errors"][0]["field"] == "sample.pw"
    assert notifications.get(url(tenant, "newsletter"), headers=headers).json["code"] == "template.unknown_kind"


def test_the_tenants_template_is_used_until_deleted(identity, notifications, pipeline, mail, tenant, staff_headers):
    headers = staff_headers(tenant)
    saved = notifications.put(url(tenant, "welcome"), headers=headers, json=GOOD)
    assert saved.status_code == 200, saved.json
    assert saved.json["source"] == "tenant"
    listed = {t["kind"]: t for t in notifications.get(url(tenant), headers=headers).json["items"]}
    assert listed["welcome"]["source"] == "tenant" and listed["welcome"]["updated_by"] == "staff-1"
    assert listed["approved"]["source"] == "default"

    add_customer(identity, tenant, headers, "TPL01", f"ap@{tenant}.example")
    first, second = f"first@{tenant}.example", f"second@{tenant}.example"
    identity.post(f"/v1/tenants/{tenant}/users", headers=headers,
                  json={"customer_code": "TPL01", "username": "first", "emails": first})
    [own] = arrived(mail, first, "welcome")
    assert own["Subject"] == "Welcome to Acme, first"
    assert f"Start here: https://portal.test/{tenant}/set-password?token=" in text_of(own)

    assert notifications.delete(url(tenant, "welcome"), headers=headers).status_code == 204
    identity.post(f"/v1/tenants/{tenant}/users", headers=headers,
                  json={"customer_code": "TPL01", "username": "second", "emails": second})
    [default] = arrived(mail, second, "welcome")
    assert default["Subject"] == "Your Portico portal account: second"
