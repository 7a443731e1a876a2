"""The W3C Nu HTML checker (vnu, from Maven Central via deploy/local/install.sh) on the pages the browser
tests visit: the HTML each page was served as, not the DOM after its scripts ran.

One checker process serves the whole test session over HTTP (`nu.validator.servlet.Main`); each
page is posted to it and its errors come back as JSON.
"""
from __future__ import annotations

import os
import socket
import subprocess
import time
from pathlib import Path

import requests

CACHE = Path(os.environ.get("PORTICO_CACHE", Path.home() / ".cache" / "portico"))
LIBS = CACHE / "html-checker" / "libs"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class HtmlChecker:
    """A running Nu checker; `errors(html)` lists what it finds wrong, in its words."""

    def __init__(self, log: Path):
        if not list(LIBS.glob("validator-*.jar")):
            raise RuntimeError(f"the Nu HTML checker is missing from {LIBS}: run deploy/local/install.sh "
                               "(make install), which fetches it from Maven Central")
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}/"
        self._log = open(log, "wb")
        # -Dnu.validator.servlet.bind-address keeps it on loopback.
        self._process = subprocess.Popen(
            ["java", "-Xss16m", "-Xmx512m", "-Dnu.validator.servlet.bind-address=127.0.0.1",
             "-cp", f"{LIBS}/*", "nu.validator.servlet.Main", str(port)],
            stdout=self._log, stderr=subprocess.STDOUT)
        self._wait_ready(port)

    def _wait_ready(self, port: int, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"the Nu HTML checker exited: see {self._log.name}")
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", port)) == 0:
                    return
            time.sleep(0.5)
        raise RuntimeError(f"the Nu HTML checker did not start in {timeout:.0f} s: see {self._log.name}")

    def errors(self, html: str) -> list[str]:
        answer = requests.post(self.url, params={"out": "json"}, data=html.encode("utf-8"), timeout=120,
                               headers={"Content-Type": "text/html; charset=utf-8"})
        answer.raise_for_status()
        return [f"line {m.get('lastLine', '?')}: {m['message']} [{m.get('extract', '').strip()}]"
                for m in answer.json()["messages"] if m["type"] == "error"]

    def close(self) -> None:
        self._process.terminate()
        try:
            self._process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self._process.kill()
        self._log.close()


class ServedPages:
    """Keeps the HTML of every page a Playwright page is served (documents, not scripts or styles)."""

    def __init__(self, page):
        self.served: list[tuple[str, str]] = []
        page.on("response", self._keep)

    def _keep(self, response) -> None:
        request = response.request
        if request.resource_type != "document" or response.status in (301, 302, 303, 307, 308):
            return
        if "text/html" not in response.headers.get("content-type", ""):
            return
        try:
            self.served.append((response.url, response.text()))
        except Exception:  # noqa: BLE001 - a page left before its body arrived has nothing to check
            pass

    def invalid(self, checker: HtmlChecker) -> dict[str, list[str]]:
        """Each served page's errors, by address; only pages with errors."""
        found = {}
        for url, html in self.served:
            errors = checker.errors(html)
            if errors:
                found[url] = errors
        return found
