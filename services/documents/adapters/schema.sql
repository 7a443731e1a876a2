-- The documents service's own tables besides the event kit's (events, outbox, ...).
-- Projection tables are created from each projection's own DDL (adapters/projections/*.py).

-- The ERP's API keys: one or more per tenant, each stored only as its SHA-256 (adapters/erp_credentials.py).
CREATE TABLE IF NOT EXISTS erp_credentials (
    credential_id uuid        PRIMARY KEY,
    tenant_id     text        NOT NULL,
    name          text        NOT NULL,
    key_hash      text        NOT NULL UNIQUE,
    created_at    timestamptz NOT NULL DEFAULT now(),
    revoked_at    timestamptz
);
