"""The seeds' stories clicked through in a real browser: staff import customers, invite all filtered ones,
the customer accepts and registers, staff approve and open areas, and the customer logs in to see only
their own documents. Each main page is kept as a screenshot in .portico/artefacts/screenshots."""
from __future__ import annotations

import re
from pathlib import Path

import requests
from playwright.sync_api import Page, expect

from ...conftest import eventually
from ...documents_samples import body
from .conftest import log_in_staff, until_shown  # noqa: F401 (log_in_staff: for the other files)

SAMPLE = Path(__file__).resolve().parents[3] / "docs" / "samples" / "customers.csv"
BULLETIN = "Orders placed by 2 pm ship the same day. Thank you for ordering online!"


def staff_nav(page: Page, name: str):
    return page.get_by_role("navigation", name="Staff console").get_by_role("link", name=name, exact=True)


def test_staff_import_invite_all_filtered_approve_and_the_customer_sees_only_its_own_documents(
        page: Page, staff_page, frontend, staff_login, invitation_links, erp_key, documents_service, web_tenant, screenshot):
    staff = staff_page(staff_login)
    screenshot(staff, "01-staff-customers-empty")

    # Seed 001: import the spreadsheet, with its progress bar and report.
    staff_nav(staff, "Import").click()
    staff.get_by_label("File").set_input_files(str(SAMPLE))
    staff.get_by_role("button", name="Import").click()
    expect(staff.get_by_text("succeeded")).to_be_visible(timeout=30_000)
    # The page reloads itself once the job ends, to show the report; its outcomes line is only in
    # the reloaded page. Moving on before it would let that reload cancel the next click.
    expect(staff.get_by_text(re.compile(r"^Outcomes: "))).to_be_visible(timeout=30_000)
    expect(staff.get_by_role("heading", name="Validation report")).to_be_visible()
    screenshot(staff, "02-staff-import-report")

    # The customers list, searched and filtered.
    staff_nav(staff, "Customers").click()
    until_shown(staff, "Acme Tools Ltd")
    staff.get_by_label("Sales rep").select_option("rep-7")  # the tenant's own sales reps to choose from
    staff.get_by_role("button", name="Search").click()
    expect(staff.get_by_text("2 customers found.")).to_be_visible()
    expect(staff.get_by_text("Beta Bolts GmbH")).to_have_count(0)
    screenshot(staff, "03-staff-customers")
    staff.get_by_role("link", name="ACME01").click()
    expect(staff.get_by_role("heading", name="Acme Tools Ltd (ACME01)")).to_be_visible()
    expect(staff.get_by_role("cell", name="jane@acme.example", exact=True)).to_be_visible()
    screenshot(staff, "04-staff-customer")

    # Seed 004: a username administrator first, then every customer of sales rep rep-7.
    staff_nav(staff, "Invitations").click()
    staff.get_by_role("link", name="Username administrators").click()
    staff.get_by_label("Administrator 1 e-mail").fill("usernames@distributor.example")
    staff.get_by_role("button", name="Save e-mail addresses").click()
    expect(staff.get_by_text("Username administrators saved.")).to_be_visible()
    staff.get_by_role("navigation", name="Invitation tabs").get_by_role("link", name="Customers").click()
    until_shown(staff, "Beta Bolts GmbH")
    staff.get_by_label("Sales rep").select_option("rep-7")
    staff.get_by_role("button", name="Search").click()
    expect(staff.get_by_text("2 customers match.")).to_be_visible()
    staff.get_by_role("button", name="Select all filtered customers", exact=True).click()
    expect(staff.get_by_label("Send invitation to Acme Tools Ltd")).to_be_checked()
    screenshot(staff, "05-staff-invitation-candidates")
    staff.get_by_role("button", name=re.compile("Send invitations to all 2 filtered customers")).click()
    expect(staff.get_by_role("heading", name="Send invitations to 2 customers?")).to_be_visible()
    staff.get_by_role("button", name="Yes, send 2 invitations").click()
    expect(staff.get_by_role("heading", name=re.compile("^(Sending invitations|Invitations sent)$"))).to_be_visible()
    expect(staff.locator('[data-field="total"]')).to_have_text("2", timeout=30_000)
    expect(staff.locator('[data-field="sent"]')).to_have_text("2", timeout=30_000)
    screenshot(staff, "06-staff-invitation-progress")

    # The customer opens the link in the e-mail (read as notifications reads it) and registers.
    token = eventually(lambda: _one(invitation_links("ACME01")))
    page.context.clear_cookies()
    page.goto(f"{frontend}/invitation?token={token}")
    expect(page.get_by_role("heading", name=re.compile("invites Acme Tools Ltd"))).to_be_visible()
    page.get_by_label("First name").fill("Jane")
    page.get_by_label("Last name").fill("Doe")
    page.get_by_label("E-mail address").fill("jane@acme.example")
    page.get_by_label("Username", exact=True).fill("acme-jane")
    page.get_by_label("Password", exact=True).fill("Correct horse battery 42!")
    page.get_by_label("Password again").fill("Correct horse battery 42!")
    screenshot(page, "07-portal-accept-invitation")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_role("heading", name="We received your registration")).to_be_visible()
    expect(page.get_by_text("waiting for approval")).to_be_visible()

    # Not approved yet: the portal refuses the login.
    page.goto(f"{frontend}/login")
    page.get_by_label("Username").fill("acme-jane")
    page.get_by_label("Password").fill("Correct horse battery 42!")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in to the customer portal")).to_be_visible()

    # Staff approve it from the unapproved usernames tab, then open the invoices area.
    staff.goto(f"{frontend}/staff/invitations?tab=unapproved")
    until_shown(staff, "acme-jane")
    screenshot(staff, "08-staff-unapproved-usernames")
    staff.get_by_role("button", name="Approve acme-jane").click()
    expect(staff.get_by_text(re.compile("acme-jane has no access area"))).to_be_visible()
    staff.get_by_role("button", name="Yes, approve acme-jane").click()
    expect(staff.get_by_text("acme-jane approved.")).to_be_visible()

    # JOE03 never answered: staff resend its invitation from the history (a new link), then revoke it.
    staff.goto(f"{frontend}/staff/invitations?tab=history")
    until_shown(staff, "Revoke for JOE03")
    staff.get_by_role("button", name="Resend to JOE03").first.click()
    expect(staff.get_by_text("Invitation resent: the earlier link no longer works.")).to_be_visible()
    screenshot(staff, "08b-staff-invitation-history")
    staff.get_by_role("button", name="Revoke for JOE03").first.click()
    expect(staff.get_by_text("Invitation revoked: its link no longer works.")).to_be_visible()
    staff.goto(f"{frontend}/staff/customers/ACME01")
    user = staff.get_by_role("article", name="Portal user acme-jane")
    until_shown(staff, "Portal user acme-jane") if user.count() == 0 else None
    user.get_by_label("invoices").check()
    user.get_by_label("quotes").check()
    user.get_by_role("button", name="Save access").click()
    expect(staff.get_by_text("Access saved.")).to_be_visible()
    screenshot(staff, "09-staff-customer-with-portal-user")

    # Seed 003: the bulletin board message every portal user sees on the portal's home page.
    staff_nav(staff, "Settings").click()
    staff.get_by_label(re.compile("Bulletin shown")).fill(BULLETIN)
    staff.get_by_role("button", name="Save bulletin").click()
    expect(staff.get_by_text("Bulletin saved.")).to_be_visible()

    # The ERP publishes an invoice for Acme and one for Beta.
    for account, number in (("1200-ACME", "INV-ACME-1"), ("1200-BETA", "INV-BETA-1")):
        published = requests.put(f"{documents_service.url('documents')}/v1/tenants/{web_tenant}/documents/invoices/"
                                 f"{number}", json=body("invoice", account), timeout=10,
                                 headers={"Authorization": f"Bearer {erp_key}"})
        assert published.status_code in (200, 201), published.text

    # The customer logs in and sees Acme's invoice, never Beta's.
    page.context.clear_cookies()
    page.goto(f"{frontend}/login")
    page.get_by_label("Username").fill("acme-jane")
    page.get_by_label("Password").fill("Correct horse battery 42!")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(page.get_by_role("heading", name="Bulletin")).to_be_visible()
    expect(page.get_by_text(BULLETIN)).to_be_visible()
    screenshot(page, "10-portal-home")
    page.get_by_role("navigation", name="Portal").get_by_role("link", name="Invoices").click()
    until_shown(page, "INV-ACME-1")
    expect(page.get_by_text("INV-BETA-1")).to_have_count(0)
    screenshot(page, "11-portal-invoices")
    page.get_by_role("link", name="INV-ACME-1").click()
    expect(page.get_by_text("Hex bolt M8x40")).to_be_visible()
    screenshot(page, "12-portal-invoice")
    page.goto(f"{frontend}/documents/invoices/INV-BETA-1")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()

    # Seed 003: a request for quote.
    page.goto(f"{frontend}/rfq")
    page.get_by_label("Item code, line 1").fill("BOLT-M8")
    page.get_by_label("Description, line 1").fill("Hex bolt M8x40")
    page.get_by_label("Quantity, line 1").fill("500")
    screenshot(page, "13-portal-rfq")
    page.get_by_role("button", name="Send request for quote").click()
    expect(page.get_by_text(re.compile("we received your request for quote"))).to_be_visible()


def _one(tokens: list[str]) -> str:
    assert len(tokens) == 1, tokens
    return tokens[0]


def test_settings_ops_and_the_portal_account_pages_render_and_forms_need_their_csrf_token(
        page: Page, staff_page, frontend, staff_login, screenshot):
    staff = staff_page(staff_login)
    staff_nav(staff, "Settings").click()
    expect(staff.get_by_role("heading", name="Tenant settings")).to_be_visible()
    staff.get_by_label(re.compile("Allow sales reps")).check()
    staff.get_by_role("button", name="Save tenant settings").click()
    expect(staff.get_by_text("Tenant settings saved.")).to_be_visible()
    expect(staff.get_by_label(re.compile("Allow sales reps"))).to_be_checked()
    screenshot(staff, "20-staff-settings")
    staff.get_by_role("link", name="welcome").click()
    staff.get_by_label("Subject").fill("Welcome to {{ company_name }}, {{ username }}")
    expect(staff.locator("[data-preview-output]")).to_contain_text("Subject: Welcome to ", timeout=15_000)
    screenshot(staff, "24-staff-email-template")
    staff_nav(staff, "Ops").click()
    expect(staff.get_by_role("heading", name="Consumer lag")).to_be_visible()
    staff.get_by_role("button", name="Follow").click()
    expect(staff.locator("[data-stream-state]")).to_have_text("following", timeout=30_000)
    other = staff.context.new_page()  # a change made elsewhere shows up on the stream
    other.goto(f"{frontend}/staff/settings")
    other.get_by_label(re.compile("Allow sales reps")).uncheck()
    other.get_by_role("button", name="Save tenant settings").click()
    expect(other.get_by_text("Tenant settings saved.")).to_be_visible()
    other.close()
    expect(staff.locator("[data-events] li").first).to_contain_text("settings", timeout=30_000)
    screenshot(staff, "21-staff-ops")

    page.context.clear_cookies()
    page.goto(f"{frontend}/forgot-password")
    expect(page.get_by_role("heading", name="Forgot password")).to_be_visible()
    page.get_by_label("Username").fill("nobody-here")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_text(re.compile("If th(e|is) username exists"))).to_be_visible()
    page.get_by_role("link", name="Log in").click()
    expect(page.get_by_role("heading", name="Log in to the customer portal")).to_be_visible()
    screenshot(page, "22-portal-login")
    page.goto(f"{frontend}/set-password?token=not-a-real-token")
    page.get_by_label("New password", exact=True).fill("Another horse battery 43!")
    page.get_by_label("New password again").fill("Another horse battery 43!")
    page.get_by_role("button", name="Set password").click()
    expect(page.locator(".message.error")).to_be_visible()
    screenshot(page, "23-portal-set-password")

    refused = requests.post(f"{frontend}/staff/login", data={"username": "x", "password": "y"}, timeout=10)
    assert refused.status_code == 400
    cookie = requests.get(f"{frontend}/staff/login", timeout=10).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
