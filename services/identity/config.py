"""The identity service's settings and their defaults."""
from eventkit import config

DEFAULTS = {
    "SERVICE_NAME": "identity",
    "DATABASE_URL": "postgresql://portico_identity:portico_identity@127.0.0.1:54329/portico_identity",
    "KAFKA_BOOTSTRAP": "127.0.0.1:19092",
    "TOPIC_PREFIX": "",
    "DB_POOL_SIZE": 10,
    "MAX_CONTENT_LENGTH": 1 * 1024 * 1024,
    # Customer imports (docs/import-format.md): 100,000 customers and their contacts fit in 32 MiB of CSV.
    "IMPORT_MAX_UPLOAD_BYTES": 32 * 1024 * 1024,
    "IMPORT_MAX_ROWS": 1_000_000,
    "IMPORT_STALE_SECONDS": 120,  # a job whose worker sent no heartbeat for this long is taken over
    "IMPORT_WORK_DIR": None,  # where a worker keeps the file it reads; None: the system's temp dir
    # Hostile or runaway files (issue 14): a workbook refused by its zip directory before parsing, each
    # statement of a job bounded, a job whose workers keep stopping failed, the import worker's memory capped.
    "IMPORT_MAX_UNPACKED_BYTES": 128 * 1024 * 1024,
    "IMPORT_MAX_WORKBOOK_ENTRIES": 200,
    "IMPORT_STATEMENT_TIMEOUT_SECONDS": 60,
    "IMPORT_MAX_ATTEMPTS": 3,
    "IMPORT_WORKER_MEMORY_MB": 1024,  # the import worker process's address space (RLIMIT_AS)
    # Login and tokens (issue 4). Both keys are required: deploy/local/keys.sh makes them for `make up`.
    "JWT_SIGNING_KEY": None,  # Ed25519 private JWK (JSON); `python -m identity.entrypoints.admin_cli signing-key`
    "SEALED_PUBLIC_KEY": None,  # the notifications service's key for link tokens; `python -m eventkit.sealed keygen`
    # Crypto-shredding (issue 17): the key-encryption key that wraps each person's data key (32 bytes,
    # base64), and the services whose consumers may have keys released, by their credential (JSON:
    # {"notifications": "<token>", ...}). deploy/local/keys.sh makes both for `make up`.
    "SUBJECT_KEK": None,
    "PERSONAL_DATA_CALLERS": {},
    "JWT_ISSUER": "urn:portico:identity",
    "JWT_AUDIENCE": "portico",
    "ACCESS_TOKEN_TTL_SECONDS": 300,
    "REFRESH_TOKEN_TTL_SECONDS": 12 * 3600,
    "LINK_TOKEN_TTL_SECONDS": 24 * 3600,
    # Keycloak's argon2id cost (5 passes over 7 MiB, 1 lane): ~36 ms of one core here, as much as OWASP's
    # 19 MiB/2 passes that was the default before, against ~210 ms for RFC 9106's 64 MiB/3/4, which on two
    # shared cores made each login a cheap denial of service. `make bench` measures a login at this cost
    # against the bare hash. Changing it is safe: a login rehashes a password stored at another cost.
    "ARGON2_TIME_COST": 5,
    "ARGON2_MEMORY_COST_KIB": 7 * 1024,
    "ARGON2_PARALLELISM": 1,
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_LOCK_SECONDS": 15 * 60,
    # Anonymous registration (issue 14): per e-mail address, and per client address (behind a proxy that is
    # the proxy's: all of a portal frontend's registrations count together), per tenant and hour.
    "REGISTRATIONS_PER_ADDRESS_PER_HOUR": 3,
    "REGISTRATIONS_PER_CLIENT_PER_HOUR": 30,
}


def load(overrides=None) -> dict:
    return config.load(DEFAULTS, overrides)
