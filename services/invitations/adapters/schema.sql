-- Read model: identity's customers as the invitations service needs them. The version suffix lets a
-- rebuilt copy live beside the serving one.
CREATE TABLE IF NOT EXISTS candidates_v1 (
    tenant_id        text    NOT NULL,
    customer_id      uuid    NOT NULL,
    code             text    NOT NULL,
    name             text    NOT NULL,
    kind             text    NOT NULL,
    customer_type    text,
    sales_rep        text,
    price_list       text,
    emails           text[]  NOT NULL DEFAULT '{}',
    usernames        integer NOT NULL DEFAULT 0,
    archived         boolean NOT NULL DEFAULT false,
    PRIMARY KEY (tenant_id, customer_id)
);
CREATE INDEX IF NOT EXISTS candidates_v1_listing ON candidates_v1 (tenant_id, name, code)
    WHERE usernames = 0 AND NOT archived;
