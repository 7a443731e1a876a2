"""Browser tier: the reference frontend (gunicorn) in front of the deployed services, driven by Debian's
Chromium through Playwright. The browser is never downloaded: Playwright drives /usr/bin/chromium."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from contracts.invitations import INVITATION_CONTEXT
from eventkit import sealed
from frontend.oidc import registration

from ... import kafka_topic
from ...fixtures.settings import KEYS
from ..conftest import ROOT, Stack, _free_port
from .html_validity import HtmlChecker, ServedPages, describe

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / ".portico" / "artefacts" / "screenshots"
CHECKER = pytest.StashKey[HtmlChecker]()
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session", autouse=True)
def html_checker(request, tmp_path_factory):
    """The Nu HTML checker, started first so that it boots while the services start (autouse: the earliest
    fixture of the session's first browser test)."""
    checker = HtmlChecker(tmp_path_factory.mktemp("html-checker") / "vnu.log")
    request.config.stash[CHECKER] = checker
    yield checker
    checker.close()


def pytest_terminal_summary(terminalreporter, config):
    if CHECKER in config.stash:
        terminalreporter.write_line(config.stash[CHECKER].summary())


@pytest.fixture
def served_pages(browser):
    """Every page the browser is served during one test, checked after it (see pytest_runtest_call)."""
    served = ServedPages(browser)
    yield served
    served.detach()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    """A test whose pages the Nu checker finds errors in fails, naming each page and error."""
    outcome = yield
    served, checker = (item.funcargs.get(name) for name in ("served_pages", "html_checker"))
    if served is not None and checker is not None:
        served.settle()
        checker.unreadable += len(served.unreadable)
        found = checker.invalid(served.served)
        assert not found, f"the Nu HTML checker found errors on {len(found)} page(s):\n{describe(found)}"
    return outcome


@pytest.fixture(scope="session")
def documents_service(stack, database, tmp_path_factory):
    """The documents service (web and worker) on the e2e stack's topics, beside its identity, invitations and
    notifications, verifying identity's tokens with its keys."""
    running = Stack(tmp_path_factory.mktemp("browser-services-logs"))
    running.start("documents", {**stack.envs["invitations"], "PORTICO_DATABASE_URL": database("e2e_documents")})
    try:
        running.wait_ready(timeout=180)  # a machine busy with other suites starts Python slowly
        yield running
    finally:
        running.kill()


@pytest.fixture(scope="session")
def web_tenant():
    return f"t-{uuid.uuid4().hex[:12]}"


def register_portal(stack, tenant: str, admin: dict, site: str) -> None:
    """The portal as the tenant's OpenID Connect client, as `make up` registers it: the documented clients API."""
    identity = f"{stack.url('identity')}/v1/tenants/{tenant}"
    login = requests.post(f"{identity}/auth/login", json=admin, timeout=30)
    assert login.status_code == 200, login.text
    made = requests.post(f"{identity}/oidc/clients", json=registration(site), timeout=30,
                         headers={"Authorization": f"Bearer {login.json()['access_token']}"})
    assert made.status_code == 201, made.text


@pytest.fixture(scope="session")
def frontend(stack, documents_service, web_tenant, staff_login, tmp_path_factory):
    """The frontend for one tenant, as `make up` runs it: gunicorn with threads (the ops view streams),
    registered as the tenant's public client (its portal logs in through identity's login page)."""
    log_dir = tmp_path_factory.mktemp("frontend-logs")
    port = _free_port()
    register_portal(stack, web_tenant, staff_login, f"http://127.0.0.1:{port}")
    env = {**os.environ, "PYTHONPATH": stack.envs["identity"]["PYTHONPATH"],
           "PORTICO_IDENTITY_URL": stack.url("identity"), "PORTICO_INVITATIONS_URL": stack.url("invitations"),
           "PORTICO_DOCUMENTS_URL": documents_service.url("documents"),
           "PORTICO_NOTIFICATIONS_URL": stack.url("notifications"),
           "PORTICO_KAFKA_BOOTSTRAP": stack.envs["identity"]["PORTICO_KAFKA_BOOTSTRAP"],
           "PORTICO_TOPIC_PREFIX": stack.envs["identity"]["PORTICO_TOPIC_PREFIX"],
           "PORTICO_WEB_TENANT": web_tenant, "PORTICO_WEB_SECRET_KEY": uuid.uuid4().hex}
    log = open(log_dir / "frontend.log", "wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", "2", "--threads", "8", "--graceful-timeout", "5", "--bind",
         f"127.0.0.1:{port}", "frontend.app:create_app()"], cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 180
    while True:
        try:
            if requests.get(f"{url}/health/ready", timeout=2).status_code == 200:
                break
        except (requests.ConnectionError, requests.Timeout):
            pass
        if time.monotonic() > deadline or process.poll() is not None:
            raise RuntimeError(f"the frontend did not start:\n{(log_dir / 'frontend.log').read_text()[-3000:]}")
        time.sleep(0.2)
    try:
        yield url
    finally:  # a throwaway process: nothing to wait for (an ops page's event stream would hold a worker)
        process.kill()
        process.wait(timeout=20)


@pytest.fixture(scope="session")
def chromium():
    """Debian's Chromium, headless, started once for the session; install it with deploy/local/install.sh.
    Each context of it (`browser`, each login of `staff_page`) has cookies of its own."""
    assert CHROMIUM.exists(), "Chromium is missing: run deploy/local/install.sh (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS)
        try:
            yield launched
        finally:
            launched.close()


def _context(chromium):
    return chromium.new_context(viewport={"width": 1280, "height": 900})


def _tab(context) -> Page:
    tab = context.new_page()
    # Generous: the services answer slowly while other suites load the machine; a pass is never slowed.
    tab.set_default_timeout(30_000)
    tab.set_default_navigation_timeout(60_000)
    expect.set_options(timeout=20_000)
    return tab


@pytest.fixture(scope="session")
def browser(chromium):
    """The context of the anonymous visitor: `page` clears its cookies for each test."""
    context = _context(chromium)
    yield context
    context.close()


@pytest.fixture
def page(browser, served_pages, html_checker):
    """A tab with no cookies of an earlier test; the pages it is served are checked afterwards."""
    browser.clear_cookies()
    tab = _tab(browser)
    yield tab
    tab.close()


def log_in_staff(page: Page, frontend: str, who: dict) -> None:
    page.goto(f"{frontend}/staff/login")
    page.get_by_label("Username").fill(who["username"])
    page.get_by_label("Password").fill(who["password"])
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Customers", level=1)).to_be_visible()


@pytest.fixture(scope="session")
def _staff_contexts(chromium):
    """username -> a context logged in to the staff console, made at the user's first `staff_page`."""
    contexts: dict[str, object] = {}
    yield contexts
    for context in contexts.values():
        context.close()


@pytest.fixture
def staff_page(_staff_contexts, chromium, frontend, served_pages, html_checker):
    """staff_page(who) -> a new tab on the staff console's customers page, logged in as `who` (username,
    password). One login per user for the whole session: the tests of a role share its context (cookies),
    so a test must not log that user out; the tabs it opened close after it. The pages they are served are
    checked after the test, like `page`'s."""
    tabs: list[Page] = []

    def open_as(who: dict) -> Page:
        context = _staff_contexts.get(who["username"])
        if context is None:
            context = _staff_contexts[who["username"]] = _context(chromium)
            served_pages.watch(context)
            tabs.append(_tab(context))
            log_in_staff(tabs[-1], frontend, who)
        else:
            served_pages.watch(context)
            tabs.append(_tab(context))
            tabs[-1].goto(f"{frontend}/staff")
            expect(tabs[-1].get_by_role("heading", name="Customers", level=1)).to_be_visible()
        return tabs[-1]

    yield open_as
    for tab in tabs:
        tab.close()


def until_shown(page: Page, text: str, timeout: float = 90) -> None:
    """Reload until the page holds the text: projections follow the writes a moment later. Each load is
    given half a second to show it (a page's script may add it) before the next reload."""
    _reload_until(page, text, "attached", timeout, f"{text!r} never appeared", "failed-until-shown.png")


def until_gone(page: Page, text: str, timeout: float = 60) -> None:
    """Reload until the page no longer holds the text: a projection follows the write a moment later."""
    _reload_until(page, text, "detached", timeout, f"{text!r} still there", "failed-until-gone.png")


def _reload_until(page: Page, text: str, state: str, timeout: float, failure: str, shot: str) -> None:
    """What the page holds decides (count); the wait between reloads ends early if a script changes it."""
    deadline, found = time.monotonic() + timeout, page.get_by_text(text, exact=False)
    while True:
        if (found.count() > 0) == (state == "attached"):
            return
        try:
            found.first.wait_for(state=state, timeout=500)
            continue  # counted again above
        except PlaywrightTimeout:
            pass
        if time.monotonic() > deadline:
            SCREENSHOTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / shot), full_page=True)
            raise AssertionError(f"{failure} on {page.url}: {page.inner_text('main')[:1000]}")
        page.reload()


@pytest.fixture
def screenshot():
    """screenshot(page, name): the whole page into .portico/artefacts/screenshots/<name>.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(tab, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture(scope="session")
def staff_login(stack, web_tenant):
    """A system administrator of the frontend's tenant, made with identity's CLI; answers its credentials."""
    password = "browser staff passphrase 9"
    made = subprocess.run(
        [sys.executable, "-m", "identity.entrypoints.admin_cli", "create-staff", "--tenant", web_tenant,
         "--username", "console-admin", "--name", "Console Admin", "--password-stdin"],
        input=password + "\n", text=True, capture_output=True, cwd=ROOT, env=stack.envs["identity"])
    assert made.returncode == 0, made.stderr
    return {"username": "console-admin", "password": password}


@pytest.fixture(scope="session")
def erp_key(documents_service, web_tenant):
    """An API key of the tenant's ERP, made with the documents service's CLI."""
    made = subprocess.run([sys.executable, "-m", "documents.entrypoints.admin_cli", "erp-key-create", "--tenant",
                           web_tenant, "--name", "browser tests"], capture_output=True, text=True, cwd=ROOT,
                          env=documents_service.envs["documents"])
    assert made.returncode == 0, made.stderr
    return re.search(r"^key (\S+)$", made.stdout, re.M).group(1)


@pytest.fixture
def invitation_links(stack, web_tenant):
    """invitation_links(customer_code) -> the tokens of the invitations sent to that customer, read as the
    notifications service reads them: from InvitationSent on Kafka, unsealed with its private key."""
    prefix = stack.envs["identity"]["PORTICO_TOPIC_PREFIX"]

    def tokens(customer_code: str) -> list[str]:
        found = []
        for record in kafka_topic.records(stack.envs["identity"]["PORTICO_KAFKA_BOOTSTRAP"],
                                          prefix + "portico.invitations"):
            headers = {k: v.decode() for k, v in record.headers}
            data = json.loads(record.value)
            if (headers.get("ce_tenantid") == web_tenant and headers["ce_type"].endswith("invitation.sent")
                    and data["customer_code"] == customer_code):
                found.append(sealed.open_sealed(data["invitation_token"], KEYS["SEALED_PRIVATE_KEY"],
                                                INVITATION_CONTEXT))
        return found

    return tokens
