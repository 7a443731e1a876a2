"""The console's client apps page (issue 19), as a system administrator uses it: the portal registered by
the fixtures is listed; a confidential client is registered (its secret shown once), its return address
changed, and it is removed after a question naming it."""
from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from .accessibility import assert_accessible
from .test_seed_stories import log_in_staff, staff_nav


def test_a_system_administrator_registers_changes_and_removes_a_client_app(page: Page, frontend, staff_login,
                                                                         screenshot):
    log_in_staff(page, frontend, staff_login)
    staff_nav(page, "Client apps").click()
    expect(page.get_by_role("heading", name="Client apps", level=1)).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("the customer portal"))).to_contain_text(f"{frontend}/oidc/callback")

    page.get_by_label("Name shown on the login page").fill("Acme's ordering server")
    page.get_by_label("Client id").fill("acme-orders")
    page.get_by_label(re.compile("Confidential: a server")).check()
    page.get_by_label("Return addresses after login").fill("not an address")
    page.get_by_role("button", name="Register client app").click()
    expect(page.locator("#redirect_uris-note")).to_have_class(re.compile("error"))
    expect(page.get_by_text("redirect_uris")).to_have_count(0)
    page.get_by_label("Return addresses after login").fill("https://orders.acme.example/callback")
    page.get_by_role("button", name="Register client app").click()
    secret = page.get_by_role("region", name="The secret of Acme's ordering server")
    expect(secret).to_contain_text("shown only this once")
    expect(secret.locator("code")).to_have_text(re.compile(r"^[A-Za-z0-9_-]{40,}$"))
    assert_accessible(page)
    screenshot(page, "60-staff-client-apps")
    page.goto(f"{frontend}/staff/clients")
    expect(page.get_by_role("region", name=re.compile("The secret of"))).to_have_count(0)  # once only

    page.get_by_role("link", name="Change Acme's ordering server").click()
    page.get_by_label("Return addresses after login").fill("https://orders.acme.example/oidc/callback")
    page.get_by_role("button", name="Save client app").click()
    expect(page.get_by_text("Acme's ordering server saved.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("acme-orders"))).to_contain_text(
        "https://orders.acme.example/oidc/callback")

    page.get_by_role("button", name="Remove Acme's ordering server").click()
    expect(page.get_by_role("heading", name="Remove the client app “Acme's ordering server”?")).to_be_visible()
    expect(page.get_by_role("list", name="Who this concerns")).to_contain_text("acme-orders")
    page.get_by_role("button", name="Yes, remove Acme's ordering server").click()
    expect(page.get_by_text("Acme's ordering server removed.")).to_be_visible()
    expect(page.get_by_role("row", name=re.compile("acme-orders"))).to_have_count(0)
    expect(page.get_by_role("row", name=re.compile("the customer portal"))).to_have_count(1)
