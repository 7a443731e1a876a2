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
from kafka import KafkaConsumer, TopicPartition
from playwright.sync_api import expect

from contracts.invitations import INVITATION_CONTEXT
from eventkit import sealed
from frontend.oidc import registration

from ...fixtures.settings import KEYS
from ..conftest import ROOT, Stack, _free_port

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / ".portico" / "artefacts" / "screenshots"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture(scope="session")
def documents_service(stack, database, tmp_path_factory):
    """The documents and notifications services (web and worker) on the e2e stack's topics, beside
    identity and invitations, verifying identity's tokens with its keys."""
    running = Stack(tmp_path_factory.mktemp("browser-services-logs"))
    for service in ("documents", "notifications"):
        running.start(service, {**stack.envs["invitations"], "PORTICO_DATABASE_URL": database(f"e2e_{service}")})
    try:
        running.wait_ready(timeout=180)  # a machine busy with other suites starts Python slowly
        yield running
    finally:
        running.stop()


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
           "PORTICO_NOTIFICATIONS_URL": documents_service.url("notifications"),
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
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:  # an ops page's event stream may still hold a worker
            process.kill()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium, headless, with a fresh profile; install it with deploy/local/install.sh."""
    assert CHROMIUM.exists(), "Chromium is missing: run deploy/local/install.sh (apt-get install chromium)"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        profile = Path(os.environ.get("TMPDIR", "/tmp")) / f"portico-chromium-{uuid.uuid4().hex[:8]}"
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1280, "height": 900})
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def page(browser):
    """A tab with no cookies of an earlier test."""
    browser.clear_cookies()
    tab = browser.new_page()
    # Generous: the services answer slowly while other suites load the machine; a pass is never slowed.
    tab.set_default_timeout(30_000)
    tab.set_default_navigation_timeout(60_000)
    expect.set_options(timeout=20_000)
    yield tab
    tab.close()


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
        consumer = KafkaConsumer(bootstrap_servers=stack.envs["identity"]["PORTICO_KAFKA_BOOTSTRAP"],
                                 enable_auto_commit=False, consumer_timeout_ms=1500)
        try:
            topic = prefix + "portico.invitations"
            partitions = [TopicPartition(topic, p) for p in consumer.partitions_for_topic(topic) or []]
            consumer.assign(partitions)
            consumer.seek_to_beginning(*partitions)
            found = []
            for record in consumer:
                headers = {k: v.decode() for k, v in record.headers}
                data = json.loads(record.value)
                if (headers.get("ce_tenantid") == web_tenant and headers["ce_type"].endswith("invitation.sent")
                        and data["customer_code"] == customer_code):
                    found.append(sealed.open_sealed(data["invitation_token"], KEYS["SEALED_PRIVATE_KEY"],
                                                    INVITATION_CONTEXT))
            return found
        finally:
            consumer.close()

    return tokens
