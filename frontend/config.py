"""The frontend's settings: where the services answer, which tenant it serves, how cookies are set."""
from __future__ import annotations

import os
import secrets

DEFAULTS = {
    "TENANT": "demo",
    "IDENTITY_URL": "http://127.0.0.1:8101",
    "INVITATIONS_URL": "http://127.0.0.1:8102",
    "NOTIFICATIONS_URL": "http://127.0.0.1:8103",
    "DOCUMENTS_URL": "http://127.0.0.1:8104",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "API_TIMEOUT": 10,
    # Secure cookies need TLS; set PORTICO_WEB_SECURE_COOKIES=1 behind a TLS-terminating proxy.
    "SECURE_COOKIES": False,
}


def load(test_config: dict | None = None) -> dict:
    """Defaults, then PORTICO_WEB_* and the shared PORTICO_* service URLs, then the test's mapping."""
    settings = dict(DEFAULTS)
    for key in ("IDENTITY_URL", "INVITATIONS_URL", "NOTIFICATIONS_URL", "DOCUMENTS_URL", "KAFKA_BOOTSTRAP",
                "TOPIC_PREFIX"):
        settings[key] = os.environ.get(f"PORTICO_{key}", settings[key])
    settings["TENANT"] = os.environ.get("PORTICO_WEB_TENANT", settings["TENANT"])
    settings["SECURE_COOKIES"] = os.environ.get("PORTICO_WEB_SECURE_COOKIES", "") in ("1", "true", "yes")
    # Without a configured key every restart logs everyone out; acceptable for a reference frontend.
    settings["SECRET_KEY"] = os.environ.get("PORTICO_WEB_SECRET_KEY") or secrets.token_urlsafe(32)
    settings.update(test_config or {})
    return settings
