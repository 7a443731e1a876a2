"""The notifications service's settings and their defaults."""
from eventkit import config

DEFAULTS = {
    "SERVICE_NAME": "notifications",
    "DATABASE_URL": "postgresql://portico_notifications:portico_notifications@127.0.0.1:54329/portico_notifications",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "DB_POOL_SIZE": 10,
    "MAX_CONTENT_LENGTH": 1 * 1024 * 1024,
    # Opens the link tokens identity and invitations seal for us (deploy/local/keys.sh makes it for `make up`).
    # One key, or a JSON list of keys while they are rotated.
    "SEALED_PRIVATE_KEY": None,
    # Identity's access tokens: verified with its published keys (JWKS), or a key set given inline.
    # Identity's key release (issue 17): the consumers open people's sealed values with the keys it releases
    # to this service's credential (deploy/local/keys.sh makes it for `make up`).
    "IDENTITY_URL": "http://127.0.0.1:8101",
    "PERSONAL_DATA_TOKEN": None,
    "JWKS_URL": "http://127.0.0.1:8101/.well-known/jwks.json",
    "JWKS": None,
    "JWT_ISSUER": "urn:portico:identity",
    "JWT_AUDIENCE": "portico",
    "SMTP_HOST": "127.0.0.1",
    "SMTP_PORT": 8025,
    "SMTP_TIMEOUT_SECONDS": 30,
    "SMTP_STARTTLS": False,
    "SMTP_USERNAME": None,
    "SMTP_PASSWORD": None,
    # Sender and links when a tenant has not set its own (PUT .../notification-settings).
    "MAIL_FROM_ADDRESS": "no-reply@portico.example",
    "MAIL_FROM_NAME": "Portico",
    "MAIL_REPLY_TO": None,
    "PORTAL_URL": "http://127.0.0.1:8100/{tenant}",
    # Retries of transient SMTP failures (4xx, server away): exponential backoff with jitter, then give up.
    "RETRY_INITIAL_SECONDS": 5.0,
    "RETRY_MAX_SECONDS": 600.0,
    "RETRY_MAX_ATTEMPTS": 15,
    # A message left "sending" this long belongs to a sender that died mid-transaction: try it again.
    "SENDING_LEASE_SECONDS": 300,
    # How long an e-mail waits for the facts it needs (the user's addresses) before going with what is known.
    "FACTS_WAIT_SECONDS": 60,
    # An event older than this calls for no e-mail any more (nor does one whose link has expired).
    "STALE_AFTER_SECONDS": 7 * 24 * 3600,
    "SENDER_THREADS": 1,
    "SEND_BATCH_SIZE": 50,
    # The dispatcher and senders are woken by NOTIFY; this is how long they wait without one (retries falling due).
    "IDLE_WAIT_SECONDS": 1.0,
}


def load(overrides=None) -> dict:
    return config.load(DEFAULTS, overrides)
