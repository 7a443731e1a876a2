"""The W3C Nu HTML checker (vnu, from Maven Central via deploy/local/install.sh) on the pages the browser
tests visit: the HTML each page was served as, not the DOM after its scripts ran.

One checker process serves the whole test session over HTTP (`nu.validator.servlet.Main`). It is started
when the session starts and boots (half a minute to a minute and a half on a loaded machine) while the
services start; only the first check waits for it. After each test the pages it was served are posted to
it side by side (`/?out=json`) and any error fails that test, naming the page and the checker's message.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
from playwright.sync_api import Error as PlaywrightError

from ..conftest import _free_port

CACHE = Path(os.environ.get("PORTICO_CACHE", Path.home() / ".cache" / "portico"))
LIBS = CACHE / "html-checker" / "libs"
REDIRECTS = (301, 302, 303, 307, 308)


class HtmlChecker:
    """A Nu checker starting in the background; `errors(html)` lists what it finds wrong, in its words."""

    def __init__(self, log: Path, start_timeout: float = 420):
        if not list(LIBS.glob("validator-*.jar")):
            raise RuntimeError(f"the Nu HTML checker is missing from {LIBS}: run deploy/local/install.sh "
                               "(make install), which fetches it from Maven Central")
        self._port = _free_port()
        self.url = f"http://127.0.0.1:{self._port}/"
        self._log = open(log, "wb")
        self._ready = threading.Event()
        self._lock = threading.Lock()
        self._deadline = time.monotonic() + start_timeout
        self.waited = 0.0  # how long the tests waited for it to start, in seconds
        self.checked = 0  # pages checked
        self.unreadable = 0  # pages left before their body could be read, so not checked
        # -Dnu.validator.servlet.bind-address keeps it on loopback; -Xss16m for its deep regular expressions;
        # nice and one compiler thread, so that booting it does not slow the services starting beside it.
        self._process = subprocess.Popen(
            ["nice", "-n", "10", "java", "-XX:TieredStopAtLevel=1", "-XX:CICompilerCount=1", "-XX:+UseSerialGC",
             "-Xss16m", "-Xmx384m", "-Dnu.validator.servlet.bind-address=127.0.0.1", "-cp", f"{LIBS}/*",
             "nu.validator.servlet.Main", str(self._port)],
            stdout=self._log, stderr=subprocess.STDOUT)

    def wait_ready(self) -> None:
        with self._lock:
            if self._ready.is_set():
                return
            began = time.monotonic()
            while not self._answers():
                if self._process.poll() is not None:
                    raise RuntimeError(f"the Nu HTML checker exited: see {self._log.name}")
                if time.monotonic() > self._deadline:
                    raise RuntimeError(f"the Nu HTML checker did not start in time: see {self._log.name}")
                time.sleep(0.5)
            self.waited += time.monotonic() - began
            self._ready.set()

    def _answers(self) -> bool:
        # Its port opens before it has read the HTML spec (100 s on a loaded machine): ready is an answer.
        try:
            return requests.post(self.url, params={"out": "json"}, data=b"<!doctype html><title>ready</title>",
                                 headers={"Content-Type": "text/html; charset=utf-8"}, timeout=10).ok
        except requests.RequestException:
            return False

    def errors(self, html: str) -> list[str]:
        self.wait_ready()
        answer = requests.post(self.url, params={"out": "json"}, data=html.encode("utf-8"), timeout=120,
                               headers={"Content-Type": "text/html; charset=utf-8"})
        answer.raise_for_status()
        with self._lock:
            self.checked += 1
        return [f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
                for m in answer.json()["messages"] if m["type"] in ("error", "non-document-error")]

    def invalid(self, pages: list[tuple[str, str]]) -> dict[str, list[str]]:
        """Each page's errors, by address (only pages with errors), the pages checked side by side."""
        with ThreadPoolExecutor(max_workers=4) as pool:
            found = pool.map(lambda served: (served[0], self.errors(served[1])), pages)
            return {url: errors for url, errors in found if errors}

    def summary(self) -> str:
        return (f"the Nu HTML checker checked {self.checked} page(s) ({self.unreadable} left before their body "
                f"could be read); the tests waited {self.waited:.1f} s for it to start")

    def close(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._log.close()


class ServedPages:
    """Keeps the HTML of every page a browser context is served (documents, not scripts, styles or fetches).

    A response's body arrives after its event: the handler waits for it while the test goes on, so the test's
    last page may still be on its way when the test ends; `settle()` lets Playwright deliver it."""

    def __init__(self, context):
        self.served: list[tuple[str, str]] = []
        self.unreadable: list[str] = []  # left before their body could be read
        self._pending = 0
        self._contexts: list = []
        self.watch(context)

    def watch(self, context) -> None:
        """Keep the pages of one more context too (a staff user's logged-in context, for one test)."""
        if context not in self._contexts:
            self._contexts.append(context)
            context.on("response", self._keep)

    def _keep(self, response) -> None:
        if response.request.resource_type != "document" or response.status in REDIRECTS:
            return
        if "text/html" not in response.headers.get("content-type", ""):
            return
        name = f"{response.request.method} {response.url} ({response.status})"
        self._pending += 1
        try:
            self.served.append((name, response.text()))
        except PlaywrightError:
            self.unreadable.append(name)
        finally:
            self._pending -= 1

    def settle(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while self._pending and time.monotonic() < deadline:
            tab = next((t for c in self._contexts for t in c.pages if not t.is_closed()), None)
            if tab is None:
                return
            tab.wait_for_timeout(50)  # runs Playwright's event loop, which delivers the bodies awaited

    def detach(self) -> None:
        for context in self._contexts:
            context.remove_listener("response", self._keep)
        self._contexts.clear()


def describe(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{page}:\n" + "\n".join(f"    {e}" for e in errors) for page, errors in found.items())
