-- The event kit's own tables, the same in every service's database.

CREATE TABLE IF NOT EXISTS events (
    position        bigserial   NOT NULL UNIQUE,
    stream_id       text        NOT NULL,
    stream_type     text        NOT NULL,
    stream_version  integer     NOT NULL CHECK (stream_version > 0),
    event_id        uuid        NOT NULL UNIQUE,
    event_type      text        NOT NULL,
    schema_version  integer     NOT NULL,
    tenant_id       text        NOT NULL,
    occurred_at     timestamptz NOT NULL,
    actor           text        NOT NULL,
    correlation_id  uuid        NOT NULL,
    causation_id    uuid,
    traceparent     text,
    data            jsonb       NOT NULL,
    PRIMARY KEY (stream_id, stream_version)
);
CREATE INDEX IF NOT EXISTS events_tenant_stream_type ON events (tenant_id, stream_type, position);

-- Rows wait here until the relay has them acknowledged by Kafka; deleted once published.
CREATE TABLE IF NOT EXISTS outbox (
    position  bigint PRIMARY KEY REFERENCES events (position),
    topic     text   NOT NULL
);

-- Written in the same transaction as a projection's change: a redelivered event is recognised.
CREATE TABLE IF NOT EXISTS processed_events (
    consumer      text        NOT NULL,
    event_id      uuid        NOT NULL,
    topic         text        NOT NULL,
    kafka_partition integer   NOT NULL,
    kafka_offset  bigint      NOT NULL,
    processed_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, event_id)
);

-- Where each consumer stands in each partition, for lag and read-your-writes.
CREATE TABLE IF NOT EXISTS consumer_positions (
    consumer        text    NOT NULL,
    topic           text    NOT NULL,
    kafka_partition integer NOT NULL,
    kafka_offset    bigint  NOT NULL,
    source_position bigint  NOT NULL DEFAULT 0,
    updated_at      timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (consumer, topic, kafka_partition)
);

-- Which copy of each projection's table serves queries; a rebuild fills a fresh copy, then switches.
CREATE TABLE IF NOT EXISTS projection_tables (
    name          text        PRIMARY KEY,
    active_table  text        NOT NULL,
    switched_at   timestamptz NOT NULL DEFAULT now()
);

-- Dead letters an operator sent back to their topic (`ops dead-letters retry`): never twice.
CREATE TABLE IF NOT EXISTS dead_letter_retries (
    dead_letter   text        PRIMARY KEY,
    consumer      text        NOT NULL,
    event_id      text,
    topic         text        NOT NULL,
    retried_at    timestamptz NOT NULL DEFAULT now(),
    retried_by    text        NOT NULL
);
