-- Second factors (issue 19), written in the same transaction as the user's events, which only say that a
-- factor was added or removed. Nothing here is in clear: the TOTP secret is sealed (adapters/secret_box.py),
-- recovery codes and pending-login tokens are SHA-256 digests of 80 and 256 random bits.

-- The authenticator app's shared secret; confirmed_at stays null until a first code proved the app has it.
-- last_step: the 30-second step of the last code accepted, so no code works twice (RFC 6238 5.2).
CREATE TABLE IF NOT EXISTS totp_credentials (
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    secret_sealed bytea       NOT NULL,
    confirmed_at  timestamptz,
    last_step     bigint,
    PRIMARY KEY (tenant_id, user_id)
);

-- Recovery codes, each good once: shown to the user when their first second factor was set up.
CREATE TABLE IF NOT EXISTS recovery_codes (
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    code_hash     bytea       NOT NULL,
    used_at       timestamptz,
    PRIMARY KEY (tenant_id, user_id, code_hash)
);

-- Passkeys (WebAuthn credentials): the public key and the authenticator's signature counter.
CREATE TABLE IF NOT EXISTS passkeys (
    credential_id bytea       PRIMARY KEY,
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    public_key    bytea       NOT NULL,
    sign_count    bigint      NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    last_used_at  timestamptz
);
CREATE INDEX IF NOT EXISTS passkeys_by_user ON passkeys (tenant_id, user_id);

-- A login whose password was right and that waits for its second factor (stage 'second_factor'), for one to
-- be set up (stage 'enrol'), or that has passed and shows the recovery codes first (stage 'passed').
-- challenge: the WebAuthn challenge of the ceremony under way, if any.
CREATE TABLE IF NOT EXISTS pending_logins (
    token_hash    bytea       PRIMARY KEY,
    tenant_id     text        NOT NULL,
    user_id       uuid        NOT NULL,
    stage         text        NOT NULL,
    challenge     bytea,
    expires_at    timestamptz NOT NULL
);
