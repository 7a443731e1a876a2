"""Identity's key release away: a web request gets a 503 saying to try again, never a 500."""
from __future__ import annotations

from flask import Flask

from eventkit import problems
from eventkit.key_release import KeyRelease, KeyReleaseUnavailable


def test_a_command_that_cannot_seal_because_identity_is_away_answers_503_with_retry_after():
    app = Flask("sealing")
    problems.init_app(app)
    release = KeyRelease("http://127.0.0.1:9", "token", patience=0.0, timeout=0.5)  # nothing listens on port 9

    @app.post("/invitations")
    def invite():
        release.for_sealing("t1", ["customer-1"])
        return "", 201

    answer = app.test_client().post("/invitations")
    assert answer.status_code == 503 and answer.headers["Retry-After"] == "5"
    assert answer.json["code"] == "service.key_release_unavailable" and answer.mimetype == "application/problem+json"
