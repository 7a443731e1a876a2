"""The portal's roles in a real browser, each walking its seed stories end to end: the first password in both
apps, a customer's management user (documents by area, a request for quote and its confirmation, My requests,
and the staff's page of requests), a staff-kind user (no amounts, no A/R statements) and a registrant before
and after approval. Every portal page visited is checked with axe-core and kept as a screenshot."""
from __future__ import annotations

import re
import time

import pytest
import requests
from playwright.sync_api import Page, expect

from ...conftest import eventually
from ...documents_samples import body
from .accessibility import assert_accessible
from .conftest import until_shown

INITIAL = "Initial passphrase 2026"
OWN = "My own passphrase 2026"
COMPANY = "Northwind Supply"


class Setup:
    """What each story starts from, made through the services' APIs as the tenant's system administrator
    and its ERP: the browser then does what the person does."""

    def __init__(self, identity: str, invitations: str, documents: str, tenant: str, admin: dict, erp_key: str):
        self.urls = {"identity": identity, "invitations": invitations, "documents": documents}
        self.tenant, self.admin, self.erp_key = tenant, admin, erp_key
        self._token, self._at = None, 0.0

    def _headers(self) -> dict:
        if self._token is None or time.monotonic() - self._at > 120:  # access tokens live 5 minutes
            answer = requests.post(f"{self.urls['identity']}/v1/tenants/{self.tenant}/auth/login", json=self.admin,
                                   timeout=30)
            assert answer.status_code == 200, answer.text
            self._token, self._at = answer.json()["access_token"], time.monotonic()
        return {"Authorization": f"Bearer {self._token}"}

    def call(self, service: str, method: str, path: str, **kwargs) -> dict:
        answer = requests.request(method, f"{self.urls[service]}/v1/tenants/{self.tenant}{path}",
                                  headers=self._headers(), timeout=30, **kwargs)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text}"
        return answer.json() if answer.content else {}

    def customer(self, code: str, name: str, sales_rep: str | None = None) -> str:
        self.call("identity", "PUT", f"/customers/{code}", json={
            "kind": "company", "name": name, "receivable_account": f"1200-{code}", "sales_rep": sales_rep,
            "emails": [f"ap@{code.lower()}.example"]})
        return f"1200-{code}"

    def portal_user(self, code: str, username: str, areas: list[str], twin: bool = False) -> dict:
        return self.call("identity", "POST", "/users", json={
            "customer_code": code, "username": username, "areas": areas, "initial_password": INITIAL,
            "send_welcome_email": False, "with_staff_user": twin, "emails": [f"{username}@example.com"]})

    def own_password(self, username: str) -> None:
        """The first-password step done over the API, for stories that do not test it."""
        answer = requests.post(f"{self.urls['identity']}/v1/tenants/{self.tenant}/auth/password", timeout=30,
                               json={"username": username, "password": INITIAL, "new_password": OWN})
        assert answer.status_code == 200, answer.text

    def publish(self, kind: str, number: str, account: str, **fields) -> None:
        answer = requests.put(f"{self.urls['documents']}/v1/tenants/{self.tenant}/documents/{kind}s/{number}",
                              json=body(kind, account, **fields), timeout=30,
                              headers={"Authorization": f"Bearer {self.erp_key}"})
        assert answer.status_code in (200, 201), answer.text


@pytest.fixture(scope="module")
def setup(stack, documents_service, web_tenant, staff_login, erp_key) -> Setup:
    made = Setup(stack.url("identity"), stack.url("invitations"), documents_service.url("documents"), web_tenant,
                 staff_login, erp_key)
    made.call("invitations", "PATCH", "/invitation-settings", json={"company_name": COMPANY})
    return made


def visit(page: Page, screenshot, name: str) -> None:
    """Every portal page a story visits: no serious or critical axe violation, and its screenshot."""
    assert_accessible(page)
    screenshot(page, name)


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


def portal_nav(page: Page):
    return page.get_by_role("navigation", name="Portal")


def change_initial_password(page: Page, again: str = OWN) -> None:
    page.get_by_label("Current password").fill(INITIAL)
    page.get_by_label("New password", exact=True).fill(OWN)
    page.get_by_label("New password again").fill(again)
    page.get_by_role("button", name="Change password and log in").click()


def test_an_initial_password_is_changed_on_the_spot_in_the_portal_and_in_the_staff_console(
        page: Page, frontend, setup, screenshot):
    setup.customer("FIRST1", "First Fasteners Ltd")
    setup.portal_user("FIRST1", "first.buyer", ["Invoices"])

    # Seed 000: the portal user logs in with the initial password and is asked for its own on the spot,
    # on identity's login page (the portal is an OpenID Connect client like any other).
    log_in(page, f"{frontend}/login", "first.buyer", INITIAL)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    expect(page.get_by_role("heading", name="Your new password")).to_be_visible()  # the rules, before typing
    expect(page.get_by_text(re.compile("At least 10 and at most 128 characters")).first).to_be_visible()
    expect(page.get_by_label("Username")).to_have_value("first.buyer")
    visit(page, screenshot, "30-portal-first-password")
    change_initial_password(page, again=OWN + " typo")
    expect(page.get_by_text("The two new passwords differ.")).to_be_visible()
    change_initial_password(page)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    assert page.url.startswith(frontend)  # back on the portal with the code exchanged
    page.get_by_role("button", name="Log out").click()  # through identity's end-session, back to the portal
    expect(page.get_by_role("heading", name="You have logged out")).to_be_visible()
    assert page.url == f"{frontend}/logged-out"
    page.goto(f"{frontend}/")
    expect(page.get_by_role("heading", name="Log in to the customer portal")).to_be_visible()  # logged out there too
    log_in(page, f"{frontend}/login", "first.buyer", OWN)  # the new password is the password now
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()

    # The same for a staff user given an initial password by an administrator.
    setup.call("identity", "POST", "/staff-users", json={
        "username": "first.clerk", "name": "First Clerk", "roles": ["in-house"], "initial_password": INITIAL})
    page.context.clear_cookies()
    log_in(page, f"{frontend}/staff/login", "first.clerk", INITIAL)
    expect(page.get_by_role("heading", name="Choose your password")).to_be_visible()
    expect(page.get_by_text(re.compile("Not containing your username")).first).to_be_visible()
    assert_accessible(page)
    screenshot(page, "31-staff-first-password")
    change_initial_password(page)
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()
    expect(page.get_by_text("Your new password is set.")).to_be_visible()

    # Forgot password? on the staff console too: the same answer whoever asks.
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Forgot password")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Username").fill("first.clerk")
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", name="Staff log in")).to_be_visible()
    expect(page.get_by_text(re.compile("If this username exists"))).to_be_visible()


def test_a_management_user_sees_its_documents_as_the_api_gives_them_and_sends_a_request_for_quote(
        page: Page, staff_page, frontend, setup, staff_login, screenshot):
    account = setup.customer("ACME7", "Acme Seven Ltd", sales_rep="rep-seven")
    other = setup.customer("BETA7", "Beta Seven GmbH")
    setup.portal_user("ACME7", "acme7.buyer", ["ALL"])
    setup.own_password("acme7.buyer")
    setup.publish("quote", "Q-7001", account)
    setup.publish("order", "SO-7001", account)
    setup.publish("invoice", "INV-7001", account)
    setup.publish("ar_statement", "ST-7001", account)
    setup.publish("shipment", "SH-7001", account)
    setup.publish("invoice", "INV-7999", other)

    log_in(page, f"{frontend}/login", "acme7.buyer", OWN)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    until_shown(page, COMPANY)  # the distributor's name, not "Portico" or the tenant id
    expect(page.get_by_text(re.compile(r"tenant|Portico"))).to_have_count(0)
    visit(page, screenshot, "32-portal-management-home")

    # Seed 003: orders with the status customers see, never the ERP's own.
    portal_nav(page).get_by_role("link", name="Orders").click()
    until_shown(page, "SO-7001")
    row = page.get_by_role("row", name=re.compile("SO-7001"))
    expect(row).to_contain_text("Processing")
    expect(row).to_contain_text("20 Jan 2026")
    expect(row).to_contain_text("29.75 EUR")
    expect(page.get_by_text("credit hold")).to_have_count(0)
    visit(page, screenshot, "33-portal-orders")

    # Shipments with tracking, and the packing slip on the shipment's page.
    portal_nav(page).get_by_role("link", name="Shipments").click()
    until_shown(page, "SH-7001")
    expect(page.get_by_role("row", name=re.compile("SH-7001"))).to_contain_text("JD0146000")
    visit(page, screenshot, "34-portal-shipments")
    page.get_by_role("link", name="SH-7001").click()
    expect(page.get_by_role("heading", name="Shipment SH-7001")).to_be_visible()
    expect(page.get_by_role("link", name="Packing slip PS-1")).to_have_attribute(
        "href", "https://erp.example/slips/PS-1.pdf")
    expect(page.get_by_text("DHL")).to_be_visible()
    visit(page, screenshot, "35-portal-shipment")

    # A/R statements with amounts and aging.
    portal_nav(page).get_by_role("link", name="A/R statements").click()
    until_shown(page, "ST-7001")
    statement = page.get_by_role("row", name=re.compile("ST-7001"))
    expect(statement).to_contain_text("129.75 EUR")
    expect(statement).to_contain_text("100.00 EUR")  # 1-30 days overdue
    visit(page, screenshot, "36-portal-statements")
    page.get_by_role("link", name="ST-7001").click()
    expect(page.get_by_role("heading", name="Aging")).to_be_visible()
    expect(page.get_by_role("columnheader", name="1–30 days overdue")).to_be_visible()
    visit(page, screenshot, "37-portal-statement")

    # Invoices: its own, never Beta's; the table usable on a 390 px phone screen.
    portal_nav(page).get_by_role("link", name="Invoices").click()
    until_shown(page, "INV-7001")
    expect(page.get_by_text("INV-7999")).to_have_count(0)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.get_by_role("link", name="INV-7001")).to_be_visible()
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "the invoices table overflows a phone"
    to_pay = page.locator('td[data-label="Still to pay"]').first  # each cell says what it is, inside the screen
    expect(to_pay).to_contain_text("29.75 EUR")
    box = to_pay.bounding_box()
    assert box and box["x"] + box["width"] <= 390, box
    visit(page, screenshot, "38-portal-invoices-phone")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Seed 003: a request for quote, confirmed, then in My requests; every document list still works after it.
    portal_nav(page).get_by_role("link", name="Request a quote").click()
    visit(page, screenshot, "39-portal-rfq")
    page.get_by_label("Item code, line 1").fill("BOLT-M8")
    page.get_by_label("Description, line 1").fill("Hex bolt M8x40")
    page.get_by_label("Quantity, line 1").fill("abc")
    page.get_by_role("button", name="Send request for quote").click()
    expect(page.get_by_text(re.compile("Please check: line 1: quantity"))).to_be_visible()
    expect(page.get_by_text("lines.0")).to_have_count(0)
    page.get_by_label("Quantity, line 1").fill("500")
    page.get_by_role("button", name="Send request for quote").click()
    expect(page.get_by_text(re.compile("we received your request for quote"))).to_be_visible()
    expect(page.get_by_role("heading", name="My requests for quote")).to_be_visible()
    mine = page.get_by_role("row", name=re.compile("Hex bolt M8x40"))
    expect(mine).to_contain_text("500")
    expect(mine).to_contain_text("acme7.buyer")
    visit(page, screenshot, "40-portal-my-requests")
    for area, number in (("Quotes", "Q-7001"), ("Invoices", "INV-7001")):
        portal_nav(page).get_by_role("link", name=area).click()
        expect(page.get_by_role("link", name=number)).to_be_visible()
        expect(page.get_by_text("Unknown field")).to_have_count(0)

    # Staff see the request on a page of their own: customer, lines, when, who.
    staff = staff_page(staff_login)  # on the customers page
    staff.get_by_role("navigation", name="Staff console").get_by_role("link", name="Requests for quote").click()
    request = staff.get_by_role("article", name="Acme Seven Ltd (ACME7)")
    until_shown(staff, "Acme Seven Ltd (ACME7)")
    expect(request).to_contain_text("acme7.buyer")
    expect(request.get_by_role("row", name=re.compile("BOLT-M8"))).to_contain_text("Hex bolt M8x40")
    expect(request).to_contain_text(re.compile(r"Sent \d{1,2} \w{3} 20\d\d, \d\d:\d\d"))
    expect(staff.get_by_text(re.compile(r"[{}]"))).to_have_count(0)  # no raw JSON
    assert_accessible(staff)
    screenshot(staff, "41-staff-requests-for-quote")


def test_a_staff_kind_user_sees_no_amounts_and_no_a_r_statements_menu(page: Page, frontend, setup, screenshot):
    account = setup.customer("GAMMA7", "Gamma Seven Ltd")
    setup.portal_user("GAMMA7", "gamma7.buyer", ["ALL"], twin=True)  # seed 004: the "S" twin
    setup.own_password("gamma7.buyerS")
    setup.publish("invoice", "INV-7101", account)
    setup.publish("ar_statement", "ST-7101", account)

    log_in(page, f"{frontend}/login", "gamma7.buyerS", OWN)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(portal_nav(page).get_by_role("link", name="Invoices")).to_be_visible()
    expect(portal_nav(page).get_by_role("link", name="A/R statements")).to_have_count(0)
    expect(page.get_by_role("link", name="A/R statements")).to_have_count(0)
    visit(page, screenshot, "42-portal-staff-kind-home")
    portal_nav(page).get_by_role("link", name="Invoices").click()
    until_shown(page, "INV-7101")
    expect(page.get_by_role("columnheader", name="Total")).to_have_count(0)
    expect(page.get_by_text("29.75")).to_have_count(0)
    visit(page, screenshot, "43-portal-staff-kind-invoices")
    page.get_by_role("link", name="INV-7101").click()
    expect(page.get_by_text("Hex bolt M8x40")).to_be_visible()
    expect(page.get_by_text(re.compile(r"29\.75|0\.25"))).to_have_count(0)
    visit(page, screenshot, "44-portal-staff-kind-invoice")
    page.goto(f"{frontend}/documents/ar_statements")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()


def test_a_registrant_waits_for_approval_and_then_logs_in(page: Page, frontend, setup, screenshot):
    setup.call("identity", "PUT", "/settings", json={"allow_personal_account_registration": False})
    page.goto(f"{frontend}/login")
    page.get_by_role("link", name="Register for the portal").click()
    expect(page.get_by_role("heading", name=re.compile("Register for the"))).to_be_visible()
    visit(page, screenshot, "45-portal-register")
    page.get_by_label("First name").fill("Rita")
    page.get_by_label("Last name").fill("Register")
    page.get_by_label("E-mail address").fill("rita@register.example")
    page.get_by_label("Username", exact=True).fill("rita.register")
    page.get_by_label("Password", exact=True).fill(OWN)
    page.get_by_label("Password again").fill(OWN)
    page.get_by_role("button", name="Register").click()
    # Seed 001: personal accounts off, so a business name is required, said beside its field.
    business = page.get_by_label("Business name")
    expect(business).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#business_name-note")).to_have_text(re.compile("Enter your business name"))
    expect(page.get_by_text("allow_personal_account_registration")).to_have_count(0)
    assert_accessible(page)
    business.fill("Register Rivets Ltd")
    page.get_by_label("Password", exact=True).fill(OWN)
    page.get_by_label("Password again").fill(OWN)
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_role("heading", name="We received your registration")).to_be_visible()
    expect(page.get_by_text("waiting for approval")).to_be_visible()
    visit(page, screenshot, "46-portal-registered")

    # Before approval the portal says why it refuses the login.
    log_in(page, f"{frontend}/login", "rita.register", OWN)
    expect(page.get_by_text(re.compile("waiting for approval"))).to_be_visible()
    visit(page, screenshot, "47-portal-login-pending")

    # Staff approve the username and open the invoices area (seed 004); then the registrant is in.
    pending = eventually(lambda: _pending(setup, "rita.register"), timeout=60)
    setup.call("identity", "POST", f"/users/{pending['user_id']}/approve")
    setup.call("identity", "PATCH", f"/users/{pending['user_id']}/access", json={"areas": ["Invoices", "Quotes"]})
    log_in(page, f"{frontend}/login", "rita.register", OWN)
    expect(page.get_by_role("heading", name=re.compile("Welcome"))).to_be_visible()
    expect(portal_nav(page).get_by_role("link", name="Invoices")).to_be_visible()
    expect(portal_nav(page).get_by_role("link", name="My requests")).to_be_visible()
    visit(page, screenshot, "48-portal-registrant-approved")
    portal_nav(page).get_by_role("link", name="My requests").click()
    expect(page.get_by_text("No requests for quote yet.")).to_be_visible()
    visit(page, screenshot, "49-portal-registrant-requests")


def _pending(setup: Setup, username: str) -> dict:
    found = [u for u in setup.call("identity", "GET", "/users", params={"status": "pending"})["items"]
             if u["username"] == username]
    assert found, f"{username} is not among the pending usernames yet"
    return found[0]


def test_the_pages_before_a_login_read_well_and_pass_axe(page: Page, frontend, setup, screenshot):
    page.goto(f"{frontend}/login")  # identity's login page, in the portal's look with the company's name
    expect(page.get_by_role("heading", name="Log in to the customer portal")).to_be_visible()
    until_shown(page, f"{COMPANY} customer portal")
    expect(page.get_by_text(re.compile(r"/v1/|tenant|Portico|oidc"))).to_have_count(0)
    visit(page, screenshot, "50-portal-login")
    log_in(page, f"{frontend}/login", "nobody.here", "not the password")
    expect(page.get_by_text(re.compile("The username or password is not right"))).to_be_visible()
    visit(page, screenshot, "51-portal-login-refused")
    page.get_by_role("link", name="Forgot password?").click()
    expect(page.get_by_role("heading", name="Forgot password")).to_be_visible()
    visit(page, screenshot, "52-portal-forgot-password")
    page.goto(f"{frontend}/set-password?token=not-a-real-token")
    expect(page.get_by_role("heading", name="Set your password")).to_be_visible()
    visit(page, screenshot, "53-portal-set-password")
    page.goto(f"{frontend}/invitation?token={'x' * 43}")
    expect(page.get_by_role("heading", name="This invitation link cannot be used")).to_be_visible()
    visit(page, screenshot, "54-portal-invitation-invalid")
    answer = page.goto(f"{frontend}/no-such-page")  # the site's page at once, not a redirect to /no-such-page/
    assert (answer.status, answer.request.redirected_from) == (404, None)
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_role("link", name="Back to the start page")).to_be_visible()
    visit(page, screenshot, "55-portal-not-found")
    answer = page.goto(f"{frontend}/staff/no-such-page")
    assert answer.status == 404
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    expect(page.get_by_text("Staff console").first).to_be_visible()
    assert_accessible(page)
