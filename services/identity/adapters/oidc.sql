-- OpenID Connect (issue 19). Registered clients: the table the provider reads, written in the same
-- transaction as the client's events; a secret only as its SHA-256.
CREATE TABLE IF NOT EXISTS oidc_clients (
    tenant_id      text    NOT NULL,
    client_id      text    NOT NULL,
    name           text    NOT NULL,
    client_type    text    NOT NULL,
    secret_hash    bytea,
    redirect_uris  text[]  NOT NULL,
    post_logout_redirect_uris text[] NOT NULL,
    removed        boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, client_id)
);
ALTER TABLE oidc_clients ADD COLUMN IF NOT EXISTS sign_up_uri text;

-- Authorization codes: single use, a minute, stored as SHA-256.
CREATE TABLE IF NOT EXISTS oidc_codes (
    code_hash      bytea       PRIMARY KEY,
    tenant_id      text        NOT NULL,
    client_id      text        NOT NULL,
    user_id        uuid        NOT NULL,
    redirect_uri   text        NOT NULL,
    scope          text        NOT NULL,
    nonce          text,
    code_challenge text,
    code_challenge_method text,
    auth_time      bigint      NOT NULL,
    expires_at     timestamptz NOT NULL
);

-- How the user proved who they are at that login (RFC 8176): the password, and a second factor's kind.
ALTER TABLE oidc_codes ADD COLUMN IF NOT EXISTS amr text[] NOT NULL DEFAULT '{pwd}';

-- Which client a login session (a refresh token family) belongs to, and its scope.
CREATE TABLE IF NOT EXISTS oidc_sessions (
    family_id      uuid        PRIMARY KEY,
    tenant_id      text        NOT NULL,
    client_id      text        NOT NULL,
    scope          text        NOT NULL
);
