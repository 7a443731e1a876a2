"""The distributor's name on every page: asked of invitations at most once a minute once known, and every few
seconds while staff have not set it, so the name they set first shows up at once (it once took a minute)."""
from __future__ import annotations

import pytest

from frontend import api, company
from frontend.app import create_app


@pytest.fixture
def asked(monkeypatch):
    answers, clock = {"company_name": None}, [1000.0]
    calls = []

    def get(service, path, **kw):
        calls.append((service, path))
        return dict(answers)

    monkeypatch.setattr(api, "get", get)
    monkeypatch.setattr(company.time, "monotonic", lambda: clock[0])
    return answers, clock, calls


def test_an_unset_name_is_asked_again_within_seconds_and_a_known_one_after_a_minute(asked):
    answers, clock, calls = asked
    with create_app({"SECRET_KEY": "unit-test-secret"}).app_context():
        assert company.name() is None
        answers["company_name"] = "Acme Supplies"  # staff set it
        clock[0] += 2
        assert company.name() is None  # asked a moment ago
        clock[0] += company.TTL_WHILE_UNSET
        assert company.name() == "Acme Supplies"
        answers["company_name"] = "Acme Supplies Group"
        clock[0] += company.TTL_WHILE_UNSET + 1
        assert company.name() == "Acme Supplies"  # known: kept for a minute
        clock[0] += company.TTL
        assert company.name() == "Acme Supplies Group"
    assert calls == [("invitations", "/company")] * 3
