"""Each staff role walks its stories of the seeds in Chromium and the test asserts what that person sees:
the system administrator (customers and contacts by hand, portal users linked to contacts, the "S" twin,
approval with context, settings), the in-house user (import, all filtered invitations across pages, sender
settings), and a sales rep with the setting on and off (own customers only, only the buttons they may use).
Each test has customers of its own sales rep code, so the tests and the seed stories do not see each other's."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest
import requests
from playwright.sync_api import Page, expect

from ..conftest import ROOT
from .accessibility import assert_accessible
from .conftest import until_gone, until_shown
from .test_seed_stories import staff_nav

PASSWORD = "Staff roles passphrase 7"
PORTAL_PASSWORD = "Correct horse battery 42!"


@pytest.fixture(scope="module")
def staff_users(stack, web_tenant, staff_login):
    """An in-house user and two sales reps of the frontend's tenant, made with identity's CLI (side by side:
    each run starts Python and hashes a password)."""
    made, running = {"admin": staff_login}, []
    for who, username, roles, rep in (("in_house", "ines.inhouse", ["in-house"], None),
                                      ("rep_north", "nils.north", ["sales-rep"], "rep-north"),
                                      ("rep_west", "wendy.west", ["sales-rep"], "rep-west")):
        argv = [sys.executable, "-m", "identity.entrypoints.admin_cli", "create-staff", "--tenant", web_tenant,
                "--username", username, "--name", username.replace(".", " ").title(), "--password-stdin"]
        argv += [a for r in roles for a in ("--role", r)] + (["--sales-rep", rep] if rep else [])
        running.append(subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True, cwd=ROOT, env=stack.envs["identity"]))
        made[who] = {"username": username, "password": PASSWORD}
    for process in running:
        _, errors = process.communicate(PASSWORD + "\n", timeout=120)
        assert process.returncode == 0, errors
    return made


class Api:
    """The services' APIs as the system administrator, to set up what a test's story starts from."""

    def __init__(self, stack, documents_service, tenant: str, login: dict):
        self.identity = f"{stack.url('identity')}/v1/tenants/{tenant}"
        self.invitations = f"{stack.url('invitations')}/v1/tenants/{tenant}"
        tokens = requests.post(f"{self.identity}/auth/login", json=login, timeout=30).json()
        self.headers = {"Authorization": f"Bearer {tokens['access_token']}"}

    def call(self, method: str, url: str, body=None, ok=(200, 201)):
        response = requests.request(method, url, json=body, headers=self.headers, timeout=30)
        assert response.status_code in ok, response.text
        return response.json() if response.content else {}

    def customer(self, code: str, name: str, sales_rep: str, **fields):
        return self.call("PUT", f"{self.identity}/customers/{code}", {
            "name": name, "receivable_account": f"1200-{code}", "sales_rep": sales_rep,
            "emails": f"office@{code.lower()}.example", **fields})

    def contact(self, code: str, first: str, last: str):
        return self.call("POST", f"{self.identity}/customers/{code}/contacts", {
            "first_name": first, "last_name": last, "email": f"{first.lower()}@{code.lower()}.example"}, ok=(201, 409))

    def reps_may_create_users(self, allowed: bool):
        self.call("PUT", f"{self.identity}/settings", {"allow_sales_reps_to_create_users": allowed})

    def username_administrators(self):
        self.call("PUT", f"{self.invitations}/username-administrators", {"emails": ["usernames@distributor.example"]})


@pytest.fixture
def api(stack, documents_service, web_tenant, staff_login):
    return Api(stack, documents_service, web_tenant, staff_login)


def look(page: Page, screenshot, name: str) -> None:
    """A main page as the person sees it: kept as a screenshot, and no serious or critical axe-core violation."""
    screenshot(page, name)
    assert_accessible(page)


def reloaded_when_done(page: Page) -> None:
    """A progress page reloads itself once the work is done; going on before would cancel that reload."""
    expect(page.get_by_role("heading", name="Invitations sent", level=1)).to_be_visible(timeout=30_000)


def no_internal_words(page: Page) -> None:
    """What a person reads: no event JSON, API paths, method names or codes."""
    text = page.inner_text("main")
    for internal in ("{\"", "/v1/", "portico.", "seed 0", "POST ", "PATCH ", "contact_id", "ar_statements"):
        assert internal not in text, f"{internal!r} on {page.url}: {text[:600]}"


def test_a_system_administrator_adds_a_customer_contact_and_linked_users_and_approves_with_context(
        staff_page, frontend, staff_users, api, screenshot):
    page = staff_page(staff_users["admin"])
    expect(staff_nav(page, "Ops")).to_be_visible()

    # Seed 001: a customer added by hand.
    page.get_by_role("link", name="Add customer").click()
    page.get_by_label("Customer code").fill("SYS01")
    page.get_by_label("Name", exact=True).fill("Sysco Hardware")
    page.get_by_label("Receivable account").fill("1200-SYS01")
    page.get_by_label("Sales rep code").fill("rep-sys")
    page.get_by_label("E-mail addresses").fill("office@sysco.example")
    page.get_by_role("button", name="Add customer").click()
    expect(page.get_by_text("Customer Sysco Hardware (SYS01) added.")).to_be_visible()
    expect(page.get_by_role("heading", name="Sysco Hardware (SYS01)")).to_be_visible()

    # Seed 002: the person is a contact first, then a portal user linked to it.
    page.get_by_role("link", name="Add contact").first.click()
    page.get_by_label("First name").fill("John")
    page.get_by_label("Last name").fill("Smith")
    page.get_by_label("E-mail").fill("john@sysco.example")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_text("Contact John Smith added.")).to_be_visible()
    page.get_by_role("link", name="Change John Smith").click()
    page.get_by_label("Job title").fill("Buyer")
    page.get_by_role("button", name="Save contact").click()
    expect(page.get_by_text("Contact saved.")).to_be_visible()
    expect(page.get_by_role("cell", name="Buyer", exact=True)).to_be_visible()

    page.get_by_label("Contact", exact=True).select_option(label="John Smith (john@sysco.example)")
    expect(page.get_by_label("Username", exact=True)).to_have_value("john.smith")
    expect(page.get_by_label("E-mail addresses")).to_have_value("john@sysco.example")
    form = page.locator("form[data-new-user]")
    form.get_by_label("Invoices").check()
    form.get_by_label("A/R statements").check()
    form.get_by_label("Also a staff username").check()
    look(page, screenshot, "30-admin-add-portal-user-from-contact")
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_text("Portal user john.smith and john.smithS created.")).to_be_visible()
    expect(page.get_by_text("Usernames billed")).to_be_visible()
    expect(page.locator(".facts dd", has_text="approved or not")).to_contain_text("2")

    # The user's page: customer, contact and receivable account.
    page.get_by_role("link", name="john.smith", exact=True).click()
    facts = page.locator(".facts")
    expect(facts).to_contain_text("Sysco Hardware (SYS01)")
    expect(facts).to_contain_text("John Smith (john@sysco.example)")
    expect(facts).to_contain_text("1200-SYS01")
    expect(facts).to_contain_text("Invoices, A/R statements")
    look(page, screenshot, "31-admin-portal-user")
    no_internal_words(page)

    # The customer's history says what happened, who and when.
    page.get_by_role("link", name="Sysco Hardware (SYS01)").click()
    history = page.get_by_role("region", name="History")
    expect(history).to_contain_text("Portal user john.smith created (management user), areas: Invoices, A/R statements")
    expect(history).to_contain_text("Contact changed: job title")
    expect(history).to_contain_text("Customer Sysco Hardware added by hand")
    expect(history).to_contain_text(staff_users["admin"]["username"])
    expect(history.get_by_role("cell", name=re.compile(r"^\d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC$")).first).to_be_visible()
    no_internal_words(page)
    look(page, screenshot, "32-admin-customer-history")

    # The tenant's portal users: search by name, billing counts.
    staff_nav(page, "Portal users").click()
    page.get_by_label("Username, name, e-mail or customer").fill("sysco")
    page.get_by_role("button", name="Search").click()
    until_shown(page, "2 portal users found.")  # the customer's name follows its projection
    expect(page.get_by_text("Usernames billed in all:")).to_be_visible()
    page.get_by_label("Username, name, e-mail or customer").fill("John Smith")
    page.get_by_role("button", name="Search").click()
    until_shown(page, "2 portal users found.")
    look(page, screenshot, "33-admin-portal-users")

    # Deleting the management user asks what to do with its "S" twin, and disable asks first.
    page.goto(f"{frontend}/staff/customers/SYS01")
    page.get_by_role("button", name="Disable john.smith", exact=True).click()
    expect(page.get_by_role("heading", name="Disable john.smith?")).to_be_visible()
    page.get_by_role("button", name="Yes, disable john.smith").click()
    expect(page.get_by_text("john.smith disabled.")).to_be_visible()
    page.get_by_role("button", name="Delete john.smith", exact=True).click()
    expect(page.get_by_role("heading", name="Delete john.smith?")).to_be_visible()
    expect(page.get_by_label("Keep john.smithS")).to_be_visible()
    page.get_by_label("Delete its staff user john.smithS too").check()
    look(page, screenshot, "34-admin-delete-twin-question")
    page.get_by_role("button", name="Yes, delete john.smith").click()
    expect(page.get_by_text("john.smithS and john.smith deleted.")).to_be_visible()
    expect(page.get_by_text("No portal users yet.")).to_be_visible()

    # Seed 004: a registration waits; its row leads to the user's areas and customer, and approving a
    # user with no area warns that they will see nothing.
    registered = requests.post(f"{api.identity}/registrations", timeout=30, json={
        "username": "sam.sys", "password": PORTAL_PASSWORD, "first_name": "Sam", "last_name": "Sys",
        "emails": "sam@sysco.example", "customer_code": "SYS01",
        # the portal tests may have switched personal registration off for the shared tenant
        "business_name": "Sysco Hardware"})
    assert registered.status_code == 201, registered.text
    page.goto(f"{frontend}/staff/invitations?tab=unapproved")
    until_shown(page, "sam.sys")
    row = page.get_by_role("row", name=re.compile("sam.sys"))
    expect(row.get_by_role("link", name="Sysco Hardware (SYS01)")).to_be_visible()
    row.get_by_role("button", name="Approve sam.sys").click()
    expect(page.get_by_text("sam.sys has no access area: once approved they can log in but will see nothing."
                            " Give them areas first on their page.")).to_be_visible()
    page.get_by_role("link", name="Cancel").click()
    page.get_by_role("row", name=re.compile("sam.sys")).get_by_role("link", name="Areas of sam.sys").click()
    page.get_by_label("Quotes").check()
    page.get_by_role("button", name="Save access").click()
    expect(page.get_by_text("Access saved.")).to_be_visible()
    page.get_by_role("button", name="Approve sam.sys").click()
    expect(page.get_by_role("heading", name="Approve sam.sys?")).to_be_visible()
    expect(page.get_by_text("has no access area")).to_have_count(0)
    page.get_by_role("button", name="Yes, approve sam.sys").click()
    expect(page.get_by_text("sam.sys approved.")).to_be_visible()

    # Change and archive the customer, asked first.
    page.goto(f"{frontend}/staff/customers/SYS01")
    page.get_by_role("link", name="Change details").click()
    page.get_by_label("Price list").fill("Trade")
    page.get_by_role("button", name="Save customer").click()
    expect(page.get_by_text("Customer details saved.")).to_be_visible()
    expect(page.get_by_role("region", name="History")).to_contain_text("Customer details changed: price list")
    page.get_by_role("button", name="Archive Sysco Hardware").click()
    expect(page.get_by_role("heading", name="Archive Sysco Hardware (SYS01)?")).to_be_visible()
    page.get_by_role("button", name="Archive Sysco Hardware").click()
    expect(page.get_by_text("Sysco Hardware archived.")).to_be_visible()
    expect(page.locator(".facts")).to_contain_text("archived")
    expect(page.get_by_role("heading", name="Add portal user")).to_have_count(0)

    # Settings: the permissions a system administrator alone sets, and the sender with its fallback.
    staff_nav(page, "Settings").click()
    expect(page.get_by_label(re.compile("Allow sales reps"))).to_be_visible()
    expect(page.get_by_text(re.compile("answered to the user’s own address; if they have none, to their "
                                       "customer’s address"))).to_be_visible()
    look(page, screenshot, "35-admin-settings")


def test_an_in_house_user_imports_invites_all_filtered_customers_across_pages_and_sets_the_sender(
        staff_page, frontend, staff_users, tmp_path, screenshot):
    page = staff_page(staff_users["in_house"])
    for shown in ("Portal users", "Import", "Invitations", "Settings", "E-mails"):
        expect(staff_nav(page, shown)).to_be_visible()
    expect(staff_nav(page, "Ops")).to_have_count(0)

    # Seed 001: an import, its report, then the same file again: nothing is written twice.
    rows = ["record_type,customer_code,name,receivable_account,customer_type,sales_rep,price_list,emails"]
    rows += [f"company,GRD{n:02},Garden Centre {n:02},1200-GRD{n:02},Garden,rep-east,G,buyer{n}@garden.example"
             for n in range(1, 56)]
    sheet = tmp_path / "garden.csv"
    sheet.write_text("\n".join(rows) + "\n")
    for outcome in ("55 customers created", "55 customers already up to date, not written"):
        staff_nav(page, "Import").click()
        page.get_by_label("File").set_input_files(str(sheet))
        page.get_by_role("button", name="Import").click()
        expect(page.get_by_text(re.compile(r"^Outcomes: "))).to_be_visible(timeout=60_000)
        expect(page.get_by_text(f"Outcomes: {outcome}.")).to_be_visible()
    expect(page.locator("dt:text-is('Written') + dd")).to_have_text("0")
    look(page, screenshot, "40-in-house-import-unchanged")

    # The import's own reasons for refusing a file: which column is unknown and which are valid.
    bad = tmp_path / "bad.csv"
    bad.write_text("record_type,customer_code,name,receivable_account,colour\ncompany,X1,X,1200-X,red\n")
    staff_nav(page, "Import").click()
    page.get_by_label("File").set_input_files(str(bad))
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("The file's columns are not right: nothing was imported.")).to_be_visible()
    expect(page.get_by_role("cell", name=re.compile(r"Unknown column 'colour'; the columns are: record_type, "
                                                    r"customer_code"))).to_be_visible()

    # Seed 004: administrators, then every Garden customer, on both pages, after saying how many and who.
    staff_nav(page, "Invitations").click()
    page.get_by_role("link", name="Username administrators").click()
    page.get_by_label("Administrator 1 e-mail").fill("usernames@distributor.example")
    page.get_by_role("button", name="Save e-mail addresses").click()
    page.get_by_role("navigation", name="Invitation tabs").get_by_role("link", name="Customers").click()
    until_shown(page, "Garden Centre 01")
    page.get_by_label("Customer type").select_option("Garden")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("55 customers match.")).to_be_visible()
    expect(page.get_by_role("link", name="Next")).to_be_visible()
    expect(page.get_by_label(re.compile("^Send invitation to "))).to_have_count(50)
    page.get_by_role("button", name="Select all filtered customers", exact=True).click()
    expect(page.get_by_text("All 55 filtered customers are selected, on every page.")).to_be_visible()
    look(page, screenshot, "41-in-house-all-filtered")
    page.get_by_role("button", name="Send invitations to customers selected above").click()
    expect(page.get_by_role("heading", name="Send invitations to 55 customers?")).to_be_visible()
    expect(page.get_by_text("Garden Centre 01 (GRD01)")).to_be_visible()
    expect(page.get_by_text("and 35 more")).to_be_visible()
    page.get_by_role("button", name="Yes, send 55 invitations").click()
    expect(page.locator('[data-field="total"]')).to_have_text("55", timeout=30_000)
    expect(page.locator('[data-field="sent"]')).to_have_text("55", timeout=60_000)
    reloaded_when_done(page)

    # The history pages with counts.
    page.goto(f"{frontend}/staff/invitations?tab=history&happened=sent")
    until_shown(page, "entries, showing 1–50.", timeout=120)  # the history follows the invitations
    page.get_by_role("link", name="Next").click()
    expect(page.get_by_text(re.compile(r"^\d+ entries, showing 51–\d+\.$"))).to_be_visible()
    look(page, screenshot, "42-in-house-invitation-history")

    # Settings: the permissions are the system administrator's; the sender and bulletin are theirs.
    staff_nav(page, "Settings").click()
    expect(page.get_by_text("Only a system administrator changes these.")).to_be_visible()
    expect(page.get_by_label(re.compile("Allow sales reps"))).to_have_count(0)
    page.get_by_label("From name").fill("Garden Supplies Ltd")
    page.get_by_label("Reply-To address").fill("sales@garden-supplies.example")
    page.get_by_role("button", name="Save sender settings").click()
    expect(page.get_by_text("E-mail sender settings saved.")).to_be_visible()
    expect(page.get_by_text(re.compile(r"E-mails go out as .*Garden Supplies Ltd.*, replies to "
                                       r"sales@garden-supplies\.example"))).to_be_visible()
    look(page, screenshot, "43-in-house-settings")
    staff_nav(page, "E-mails").click()
    expect(page.get_by_text(re.compile(r"^\d+ e-mails?"))).to_be_visible()


def test_a_sales_rep_allowed_to_create_users_lands_on_their_customers_and_invites_them(
        staff_page, frontend, staff_users, api, screenshot):
    api.reps_may_create_users(True)
    api.username_administrators()
    api.customer("NOR01", "North Tools", "rep-north", customer_type="Trade")
    api.customer("NOR02", "North Fixings", "rep-north", customer_type="Trade")
    api.customer("OTH01", "Other Rep Supplies", "rep-other")
    api.contact("NOR01", "Nora", "North")

    page = staff_page(staff_users["rep_north"])
    expect(page.get_by_text("Your customers: those with sales rep code rep-north.")).to_be_visible()
    until_shown(page, "North Fixings")
    expect(page.get_by_text("Other Rep Supplies")).to_have_count(0)
    expect(page.get_by_label("Sales rep")).to_have_count(0)
    for hidden in ("Portal users", "Import", "Settings", "E-mails", "Ops"):
        expect(staff_nav(page, hidden)).to_have_count(0)
    expect(page.get_by_role("link", name="Add customer")).to_have_count(0)
    look(page, screenshot, "50-rep-own-customers")

    # Seed 000/004: a username for an own customer, from its contact.
    page.get_by_role("link", name="NOR01").click()
    expect(page.get_by_role("heading", name="Add portal user")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("^Archive"))).to_have_count(0)
    expect(page.get_by_role("link", name="Add contact")).to_have_count(0)
    page.get_by_label("Contact", exact=True).select_option(label="Nora North (nora@nor01.example)")
    expect(page.get_by_label("Username", exact=True)).to_have_value("nora.north")
    page.locator("form[data-new-user]").get_by_label("Orders", exact=True).check()
    page.get_by_role("button", name="Create user").click()
    expect(page.get_by_text("Portal user nora.north created.")).to_be_visible()
    user = page.get_by_role("article", name="Portal user nora.north")
    expect(user).to_contain_text("Areas: Orders")
    expect(user.get_by_role("button")).to_have_count(0)  # access, approval and deletion are in-house work
    look(page, screenshot, "51-rep-customer-with-user")

    # Invitations: only the rep's own customers without a username, nothing of in-house work.
    staff_nav(page, "Invitations").click()
    expect(page.get_by_role("navigation", name="Invitation tabs").get_by_role("link")).to_have_count(1)
    until_shown(page, "North Fixings")
    until_gone(page, "North Tools")  # it has a username now
    expect(page.get_by_text("Other Rep Supplies")).to_have_count(0)
    page.get_by_label("Send invitation to North Fixings").check()
    page.get_by_role("button", name="Send invitations to customers selected above").click()
    expect(page.get_by_role("heading", name="Send an invitation to 1 customer?")).to_be_visible()
    expect(page.get_by_text("North Fixings (NOR02)")).to_be_visible()
    page.get_by_role("button", name="Yes, send 1 invitation").click()
    expect(page.locator('[data-field="sent"]')).to_have_text("1", timeout=30_000)
    reloaded_when_done(page)
    look(page, screenshot, "52-rep-invitation-sent")

    page.goto(f"{frontend}/staff/customers/OTH01")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
    page.goto(f"{frontend}/staff/settings")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()


def test_a_sales_rep_not_allowed_to_create_users_never_sees_add_portal_user(
        staff_page, frontend, staff_users, api, screenshot):
    api.reps_may_create_users(False)
    api.customer("WST01", "West Wholesale", "rep-west")
    page = staff_page(staff_users["rep_west"])
    until_shown(page, "West Wholesale")
    page.get_by_role("link", name="WST01").click()
    expect(page.get_by_role("heading", name="West Wholesale (WST01)")).to_be_visible()
    expect(page.get_by_role("heading", name="Portal users")).to_be_visible()
    expect(page.get_by_text("Add portal user")).to_have_count(0)
    expect(page.get_by_role("button", name="Create user")).to_have_count(0)
    look(page, screenshot, "53-rep-without-add-portal-user")
    staff_nav(page, "Invitations").click()
    until_shown(page, "West Wholesale")
    expect(page.get_by_role("button", name="Send invitations to customers selected above")).to_be_visible()
    page.goto(f"{frontend}/staff/users")
    expect(page.get_by_role("heading", name="Not allowed")).to_be_visible()
