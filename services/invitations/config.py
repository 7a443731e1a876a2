"""The invitations service's settings and their defaults."""
from eventkit import config

DEFAULTS = {
    "SERVICE_NAME": "invitations",
    "DATABASE_URL": "postgresql://portico_invitations:portico_invitations@127.0.0.1:54329/portico_invitations",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "DB_POOL_SIZE": 10,
    "MAX_CONTENT_LENGTH": 1 * 1024 * 1024,
    # The notifications service's key: invitation link tokens are sealed for it. Required; the same
    # PORTICO_SEALED_PUBLIC_KEY identity uses (`python -m eventkit.sealed keygen`).
    "SEALED_PUBLIC_KEY": None,
    # Identity's access tokens: verified with its published keys (JWKS), or a key set given inline.
    # Identity's key release (issue 17): the consumers open people's sealed values with the keys it releases
    # to this service's credential (deploy/local/keys.sh makes it for `make up`).
    "IDENTITY_URL": "http://127.0.0.1:8101",
    "PERSONAL_DATA_TOKEN": None,
    "JWKS_URL": "http://127.0.0.1:8101/.well-known/jwks.json",
    "JWKS": None,
    "JWT_ISSUER": "urn:portico:identity",
    "JWT_AUDIENCE": "portico",
    "BATCH_CHUNK_SIZE": 500,  # invitations per transaction of the batch worker
    "EXPIRY_SWEEP_SECONDS": 60,
    # Unknown invitation links one client address may try per tenant and hour before they are answered 429
    # (issue 14); behind a proxy that is the proxy's address, so a real link still opens.
    "UNKNOWN_LINKS_PER_CLIENT_PER_HOUR": 20,
}


def load(overrides=None) -> dict:
    return config.load(DEFAULTS, overrides)
