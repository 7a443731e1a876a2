-- Crypto-shredding (issue 17, docs/erasure-and-history.md): one data key per person ("subject"), stored
-- only wrapped by the key-encryption key from configuration. Forgetting a subject deletes its key and
-- keeps the row, so a key is never made again for a forgotten person.
CREATE TABLE IF NOT EXISTS subject_keys (
    tenant_id    text        NOT NULL,
    subject      text        NOT NULL,
    wrapped_key  bytea,
    created_at   timestamptz NOT NULL DEFAULT now(),
    forgotten_at timestamptz,
    reason       text,
    PRIMARY KEY (tenant_id, subject),
    CHECK ((wrapped_key IS NULL) = (forgotten_at IS NOT NULL))
);
