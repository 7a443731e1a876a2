-- The invitations service's own tables besides the event kit's (events, outbox, ...).
-- Projection tables are created from each projection's own DDL (adapters/projections/*.py),
-- so that a rebuild can make a fresh copy beside the serving one.
-- The tables below are written in the same transaction as the events they go with.

-- Every link ever sent, by its token's SHA-256 (never the token): which invitation it opens.
CREATE TABLE IF NOT EXISTS invitation_links (
    token_hash     text        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    invitation_id  uuid        NOT NULL
);

-- At most one open invitation per customer: a second one is skipped ("resend or revoke it").
CREATE TABLE IF NOT EXISTS open_invitations (
    tenant_id      text        NOT NULL,
    customer_id    uuid        NOT NULL,
    invitation_id  uuid        NOT NULL UNIQUE,
    expires_at     timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX IF NOT EXISTS open_invitations_by_expiry ON open_invitations (expires_at);

-- Batches of invitations, worked by the invitations worker a chunk at a time (FOR UPDATE SKIP LOCKED).
CREATE TABLE IF NOT EXISTS invitation_batches (
    batch_id       uuid        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    requested_by   jsonb       NOT NULL,
    correlation_id uuid        NOT NULL,
    traceparent    text,
    state          text        NOT NULL DEFAULT 'queued',
    total          integer     NOT NULL,
    sent           integer     NOT NULL DEFAULT 0,
    skipped        integer     NOT NULL DEFAULT 0,
    requested_at   timestamptz NOT NULL DEFAULT now(),
    finished_at    timestamptz,
    CHECK (state IN ('queued', 'running', 'done'))
);
CREATE INDEX IF NOT EXISTS invitation_batches_waiting ON invitation_batches (requested_at) WHERE state <> 'done';

-- The batch's customers in the order chosen; outcome stays NULL until the customer is invited
-- ('sent') or skipped (the reason's code).
CREATE TABLE IF NOT EXISTS invitation_batch_customers (
    batch_id       uuid        NOT NULL REFERENCES invitation_batches,
    seq            integer     NOT NULL,
    customer_id    uuid        NOT NULL,
    emails         text[],
    outcome        text,
    invitation_id  uuid,
    customer_code  text,
    customer_name  text,
    PRIMARY KEY (batch_id, seq),
    UNIQUE (batch_id, customer_id)
);
CREATE INDEX IF NOT EXISTS invitation_batch_customers_waiting ON invitation_batch_customers (batch_id, seq)
    WHERE outcome IS NULL;
