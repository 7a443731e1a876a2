-- The notifications service's own tables besides the event kit's (events, outbox, ...).
-- Projection tables are created from each projection's own DDL (adapters/projections/*.py).

-- The delivery queue, which is also the delivery log: one row per e-mail to one recipient.
-- UNIQUE (event_id, recipient, kind): however often an event arrives, each recipient gets each kind once.
CREATE TABLE IF NOT EXISTS deliveries (
    delivery_id      uuid        PRIMARY KEY,
    tenant_id        text        NOT NULL,
    event_id         uuid        NOT NULL,
    event_type       text        NOT NULL,
    kind             text        NOT NULL,
    recipient        text        NOT NULL,
    sender           text        NOT NULL,
    reply_to         text,
    -- The template's variables. Link tokens are kept only sealed, and removed once the delivery ends.
    context          jsonb       NOT NULL,
    correlation_id   uuid        NOT NULL,
    traceparent      text,
    status           text        NOT NULL DEFAULT 'queued'
                                 CHECK (status IN ('queued', 'sending', 'sent', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    next_attempt_at  timestamptz NOT NULL DEFAULT now(),
    sending_since    timestamptz,
    message_id       text,
    subject          text,
    template         text,
    last_error       text,
    smtp_code        integer,
    queued_at        timestamptz NOT NULL DEFAULT now(),
    sent_at          timestamptz,
    failed_at        timestamptz,
    UNIQUE (event_id, recipient, kind)
);
-- Once a delivery has ended, EmailSent or EmailFailed is appended for it; announced_at says it was.
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS failure_reason text;
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS announced_at timestamptz;
-- Whose personal address the e-mail goes to (issue 17; user-<id>, customer-<id>): its EmailSent or EmailFailed
-- seals the recipient for that person. (`subject` is the e-mail's subject line.)
ALTER TABLE deliveries ADD COLUMN IF NOT EXISTS person text;
CREATE INDEX IF NOT EXISTS deliveries_due ON deliveries (next_attempt_at) WHERE status = 'queued';
CREATE INDEX IF NOT EXISTS deliveries_unannounced ON deliveries (queued_at)
    WHERE announced_at IS NULL AND status IN ('sent', 'failed');
CREATE INDEX IF NOT EXISTS deliveries_in_flight ON deliveries (sending_since) WHERE status = 'sending';
CREATE INDEX IF NOT EXISTS deliveries_log ON deliveries (tenant_id, queued_at DESC, delivery_id);
CREATE INDEX IF NOT EXISTS deliveries_by_recipient ON deliveries (tenant_id, recipient, queued_at DESC);
CREATE INDEX IF NOT EXISTS deliveries_by_event ON deliveries (tenant_id, event_id);

-- A tenant's own template for a kind of e-mail, replacing the shipped default until deleted.
CREATE TABLE IF NOT EXISTS templates (
    tenant_id   text        NOT NULL,
    kind        text        NOT NULL,
    subject     text        NOT NULL,
    text_body   text        NOT NULL,
    html_body   text,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    updated_by  text        NOT NULL,
    PRIMARY KEY (tenant_id, kind)
);

-- Whom a tenant's e-mails come from and where its portal is; unset values fall back to the config.
CREATE TABLE IF NOT EXISTS sender_settings (
    tenant_id     text        PRIMARY KEY,
    from_address  text,
    from_name     text,
    reply_to      text,
    portal_url    text,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    updated_by    text        NOT NULL
);
