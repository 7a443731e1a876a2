"""The Nu HTML checker as the browser tests use it: the HTML a tab was served (not its DOM) is checked, and an
error is reported with the page and the checker's message. Pages served by Playwright itself, so no
service is needed. (Named to run after the first stories, which start the services while the checker
boots: run first, it would wait for the checker alone.)"""
from __future__ import annotations

from playwright.sync_api import Page

SITE = "http://portico.test"
INVALID = ('<!doctype html><html lang="en"><head><title>Template</title></head><body><main>'
           '<input name="subject" value="Welcome\n"><p><time datetime="2026-11-28T16:47:03.123456+00:00">28 Nov'
           '</time></p></main></body></html>')
VALID = INVALID.replace('value="Welcome\n"', 'value="Welcome"').replace(".123456", "")


def serve(page: Page, pages: dict[str, str]) -> None:
    page.route(f"{SITE}/**", lambda route: route.fulfill(
        status=200, content_type="text/html; charset=utf-8", body=pages[route.request.url.removeprefix(SITE)]))


def test_the_checker_names_each_invalid_page_served_and_its_errors(page: Page, served_pages, html_checker):
    serve(page, {"/editor": INVALID, "/fine": VALID})
    page.goto(f"{SITE}/editor")
    page.goto(f"{SITE}/fine")
    served_pages.settle()
    assert [name for name, _ in served_pages.served] == [f"GET {SITE}/editor (200)", f"GET {SITE}/fine (200)"]
    found = html_checker.invalid(served_pages.served)
    served_pages.served.clear()  # served here on purpose: not what this test's own check is about
    assert list(found) == [f"GET {SITE}/editor (200)"]
    [field, moment] = found[f"GET {SITE}/editor (200)"]
    assert "“input”" in field and "A fraction of a second must be one, two, or three digits" in moment
