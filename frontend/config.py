"""The frontend's settings: where the services answer, which tenant it serves, how cookies are set."""
from __future__ import annotations

import os

DEFAULTS = {
    "TENANT": "demo",
    "IDENTITY_URL": "http://127.0.0.1:8101",
    "INVITATIONS_URL": "http://127.0.0.1:8102",
    "NOTIFICATIONS_URL": "http://127.0.0.1:8103",
    "DOCUMENTS_URL": "http://127.0.0.1:8104",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "API_TIMEOUT": 10,
    # The portal's OpenID Connect client at identity: a public client of the tenant whose redirect URI is
    # <this site>/oidc/callback and post-logout redirect URI <this site>/logged-out (deploy/demo_data.py).
    "CLIENT_ID": "portal",
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
    settings["CLIENT_ID"] = os.environ.get("PORTICO_WEB_CLIENT_ID", settings["CLIENT_ID"])
    settings["SECURE_COOKIES"] = os.environ.get("PORTICO_WEB_SECURE_COOKIES", "") in ("1", "true", "yes")
    settings["SECRET_KEY"] = os.environ.get("PORTICO_WEB_SECRET_KEY")
    settings.update(test_config or {})
    if not settings.get("SECRET_KEY"):
        # Each gunicorn worker would make its own and refuse the others' session cookies.
        raise RuntimeError("PORTICO_WEB_SECRET_KEY is not set: it signs the session cookie "
                           "(deploy/local/keys.sh makes one for `make up`).")
    return settings
