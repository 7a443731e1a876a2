-- Tables for users, written in the same transaction as the user's events. Users themselves are
-- event-sourced; these hold what must be unique, looked up fast, or never put in an event.

-- The username directory: uniqueness per tenant (case-insensitive, deleted users excluded), the
-- login lookup, and the list and count of a customer's usernames (seed 004's billing count).
CREATE TABLE IF NOT EXISTS usernames (
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    username      text        NOT NULL,
    username_key  text        NOT NULL,
    user_type     text        NOT NULL,
    kind          text,
    customer_id   uuid,
    status        text        NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);
CREATE UNIQUE INDEX IF NOT EXISTS usernames_unique_key ON usernames (tenant_id, username_key)
    WHERE status <> 'deleted';
CREATE INDEX IF NOT EXISTS usernames_by_customer ON usernames (tenant_id, customer_id, status);
-- What staff search the tenant's usernames by besides the username: the person's name and addresses.
ALTER TABLE usernames ADD COLUMN IF NOT EXISTS person_name text;
ALTER TABLE usernames ADD COLUMN IF NOT EXISTS emails text[] NOT NULL DEFAULT '{}';

-- argon2id hashes only; must_change marks an initial password given by staff.
CREATE TABLE IF NOT EXISTS password_credentials (
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    password_hash text        NOT NULL,
    must_change   boolean     NOT NULL DEFAULT false,
    changed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, user_id)
);

-- Set-password and reset links: the SHA-256 of the token, never the token; single use.
CREATE TABLE IF NOT EXISTS link_tokens (
    token_hash    bytea       PRIMARY KEY,
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    purpose       text        NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz
);
CREATE INDEX IF NOT EXISTS link_tokens_by_user ON link_tokens (tenant_id, user_id);

-- Refresh tokens, hashed, rotated on each use; a reused one revokes its whole family.
CREATE TABLE IF NOT EXISTS refresh_tokens (
    token_hash    bytea       PRIMARY KEY,
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    family_id     uuid        NOT NULL,
    expires_at    timestamptz NOT NULL,
    used_at       timestamptz,
    revoked_at    timestamptz
);
CREATE INDEX IF NOT EXISTS refresh_tokens_by_family ON refresh_tokens (family_id);

-- Consecutive failed logins per username (known or not: see domain/lockout.py).
CREATE TABLE IF NOT EXISTS login_failures (
    tenant_id     text        NOT NULL,
    username_key  text        NOT NULL,
    failures      integer     NOT NULL,
    locked_until  timestamptz,
    PRIMARY KEY (tenant_id, username_key)
);

-- Forgot-password requests: the answer only queues one, whatever the name, and the identity worker sends
-- the link if the username exists; so the answer takes the same work and time either way (issue 14).
CREATE TABLE IF NOT EXISTS password_reset_requests (
    request_id     bigserial   PRIMARY KEY,
    tenant_id      text        NOT NULL,
    username       text        NOT NULL,
    correlation_id uuid        NOT NULL,
    traceparent    text,
    requested_at   timestamptz NOT NULL DEFAULT now()
);
