"""The identity service's settings and their defaults."""
from eventkit import config

DEFAULTS = {
    "SERVICE_NAME": "identity",
    "DATABASE_URL": "postgresql://portico_identity:portico_identity@127.0.0.1:54329/portico_identity",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "DB_POOL_SIZE": 10,
    "MAX_CONTENT_LENGTH": 1 * 1024 * 1024,
}


def load(overrides=None) -> dict:
    return config.load(DEFAULTS, overrides)
