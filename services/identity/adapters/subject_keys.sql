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

-- Every release of data keys to another service's consumer (the audited path of docs/erasure-and-history.md):
-- which service asked, for which people, when. Never a key.
CREATE TABLE IF NOT EXISTS personal_data_releases (
    release_id  bigserial   PRIMARY KEY,
    tenant_id   text        NOT NULL,
    caller      text        NOT NULL,
    subjects    text[]      NOT NULL,
    released_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS personal_data_releases_by_tenant ON personal_data_releases (tenant_id, released_at);
