"""The documents service's settings and their defaults."""
from eventkit import config

DEFAULTS = {
    "SERVICE_NAME": "documents",
    "DATABASE_URL": "postgresql://portico_documents:portico_documents@127.0.0.1:54329/portico_documents",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "DB_POOL_SIZE": 10,
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,  # an A/R statement may hold thousands of entries
    # Access tokens are identity's: verified with its public keys, fetched from its JWKS and cached.
    "IDENTITY_URL": "http://127.0.0.1:8101",
    "PERSONAL_DATA_TOKEN": None,  # identity's key release for the consumers (issue 17; deploy/local/keys.sh)
    "JWKS_URL": None,  # default: IDENTITY_URL + /.well-known/jwks.json
    "JWKS_CACHE_SECONDS": 300,
    "JWT_ISSUER": "urn:portico:identity",
    "JWT_AUDIENCE": "portico",
}


def load(overrides=None) -> dict:
    settings = config.load(DEFAULTS, overrides)
    if not settings.get("JWKS_URL"):
        settings["JWKS_URL"] = settings["IDENTITY_URL"].rstrip("/") + "/.well-known/jwks.json"
    return settings
