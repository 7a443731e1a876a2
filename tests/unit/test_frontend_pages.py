"""Pages that are valid HTML as served: a one-line field's value holds no line break (so saving the e-mail
template form unchanged keeps its subject), <time datetime> is a valid date and time, and a path with no
page, or a page used the wrong way, answers the site's own page in words with its status."""
from __future__ import annotations

import re
import time

import pytest

from frontend import api, words
from frontend.app import create_app
from notifications.adapters.rendering import default_template
from notifications.domain.kinds import KINDS

STAFF = {"user_type": "staff", "username": "clerk", "roles": ["in-house"]}
PORTAL = {"user_type": "portal", "username": "acme.buyer", "roles": [], "areas": []}


def signed_in(monkeypatch, user: dict, answers: dict):
    """A client signed in as `user`; api.get answers from `answers` by path ({} for anything else)."""
    monkeypatch.setattr(api, "get", lambda service, path, **kw: answers.get(path, {}))
    client = create_app({"SECRET_KEY": "unit-test-secret"}).test_client()
    with client.session_transaction() as s:
        s.update(user=user, access_token="t", refresh_token=None, expires_at=time.time() + 300)
    return client


def field_value(page: str, name: str) -> str:
    return re.search(rf'<input id="{name}" name="{name}" value="([^"]*)"', page).group(1)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_default_subject_is_one_line_as_the_form_shows_and_saves_it(kind):
    assert "\n" not in default_template(kind).subject and "\r" not in default_template(kind).subject


def test_the_template_editor_shows_the_subject_in_use_without_a_line_break(monkeypatch):
    template = {"kind": "welcome", "description": "Sent to a new user.", "source": "tenant", "variables": ["username"],
                "subject": "Welcome, {{ username }}\n", "text": "Hello\n", "html": None}
    client = signed_in(monkeypatch, STAFF, {"/templates/welcome": template})
    page = client.get("/staff/settings/templates/welcome")
    assert page.status_code == 200
    assert field_value(page.get_data(as_text=True), "subject") == "Welcome, {{ username }}"


def test_a_bulletin_time_carries_no_more_than_seconds(monkeypatch):
    bulletin = {"bulletin": "Closed on Friday.", "updated_at": "2026-11-28T16:47:03.123456+00:00"}
    client = signed_in(monkeypatch, PORTAL, {"/bulletin": bulletin})
    page = client.get("/").get_data(as_text=True)
    assert '<time datetime="2026-11-28T16:47:03+00:00">28 Nov 2026</time>' in page


@pytest.mark.parametrize("value, machine", [
    ("2026-11-28T16:47:03.123456+00:00", "2026-11-28T16:47:03+00:00"),
    ("Sat, 28 Nov 2026 16:47:03 GMT", "2026-11-28T16:47:03+00:00"), ("2026-11-28T16:47:03", "2026-11-28T16:47:03"),
    ("not a date", ""), (None, "")])
def test_a_moment_for_a_time_element_is_a_valid_html_date_and_time(value, machine):
    assert words.machine_time(value) == machine


@pytest.fixture
def client():
    return create_app({"SECRET_KEY": "unit-test-secret", "IDENTITY_URL": "http://127.0.0.1:9",
                       "INVITATIONS_URL": "http://127.0.0.1:9", "API_TIMEOUT": 1}).test_client()


@pytest.mark.parametrize("path, console", [("/nope", "Customer portal"), ("/logout", "Customer portal"),
                                           ("/a/b/c", "Customer portal"), ("/staff/nope", "Staff console"),
                                           ("/staff/customers/ACME/nothing/here", "Staff console")])
def test_a_path_with_no_page_answers_the_sites_not_found_page(client, path, console):
    answer = client.get(path)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 404 and answer.mimetype == "text/html"
    assert "<h1>Not found</h1>" in page and "There is no such page here." in page and console in page
    assert 'href="/static/portico.css"' in page  # in the site's look


def test_a_page_used_the_wrong_way_says_so_in_the_sites_page_and_names_what_it_allows(client):
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/staff/login").get_data(as_text=True)).group(1)
    answer = client.post("/", data={"csrf_token": token})
    assert answer.status_code == 405 and "GET" in answer.headers["Allow"]
    assert "This page cannot be used that way" in answer.get_data(as_text=True)
