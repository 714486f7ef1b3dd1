-- GrowthBot's store on PostgreSQL, version 1: every port the LiteDB store serves.
-- Ids are exact (text compares case-sensitively here); times are timestamptz in UTC.

-- Growth data: what the metric engine is built from at start.
CREATE TABLE store_meta (
    key   text PRIMARY KEY,
    value bigint NOT NULL
);
INSERT INTO store_meta (key, value) VALUES ('generation', 0);

CREATE TABLE customers (
    id           text PRIMARY KEY,
    name         text NOT NULL,
    segment      text NOT NULL,
    channel      text NOT NULL,
    signed_up_at timestamptz NOT NULL,
    activated_at timestamptz
);

-- The MRR log, keyed by (customer, moment): a later row for the same moment replaces the earlier.
CREATE TABLE subscription_changes (
    customer_id text NOT NULL,
    at          timestamptz NOT NULL,
    mrr         numeric NOT NULL,
    PRIMARY KEY (customer_id, at)
);

CREATE TABLE orders (
    id          text PRIMARY KEY,
    customer_id text NOT NULL,
    ordered_at  timestamptz NOT NULL,
    amount      numeric NOT NULL
);

-- Keyed by the company's spend id when it has one, else by (date, channel, category) ignoring case.
CREATE TABLE spend (
    key      text PRIMARY KEY,
    spend_id text,
    date     timestamptz NOT NULL,
    channel  text NOT NULL,
    category text NOT NULL,
    amount   numeric NOT NULL
);

CREATE TABLE tickets (
    id          text PRIMARY KEY,
    customer_id text NOT NULL,
    opened_at   timestamptz NOT NULL,
    resolved_at timestamptz,
    contacts    integer NOT NULL
);
CREATE INDEX tickets_resolved_at ON tickets (resolved_at) WHERE resolved_at IS NOT NULL;

CREATE TABLE responses (
    id           text PRIMARY KEY,
    survey       text NOT NULL,
    customer_id  text NOT NULL,
    score        integer NOT NULL,
    comment      text,
    responded_at timestamptz NOT NULL
);
CREATE INDEX responses_responded_at ON responses (responded_at);

-- The inbox: a delivery id is recorded once (the primary key is the dedupe).
CREATE TABLE inbox (
    platform     text NOT NULL,
    delivery_key text NOT NULL,
    received_at  timestamptz NOT NULL,
    done         boolean NOT NULL DEFAULT false,
    message      jsonb NOT NULL,
    PRIMARY KEY (platform, delivery_key)
);
CREATE INDEX inbox_pending ON inbox (received_at) WHERE NOT done;

CREATE TABLE conversations (
    platform        text NOT NULL,
    conversation_id text NOT NULL,
    personal_user   text,
    seen_at         timestamptz NOT NULL,
    conversation    jsonb NOT NULL,
    PRIMARY KEY (platform, conversation_id)
);
CREATE INDEX conversations_personal ON conversations (platform, personal_user) WHERE personal_user IS NOT NULL;

-- Surveys.
CREATE TABLE survey_recipients (
    platform    text NOT NULL,
    user_id     text NOT NULL,
    customer_id text NOT NULL,
    recipient   jsonb NOT NULL,
    PRIMARY KEY (platform, user_id)
);
CREATE INDEX survey_recipients_customer ON survey_recipients (customer_id);

CREATE TABLE survey_runs (
    id         text PRIMARY KEY,
    started_at timestamptz NOT NULL,
    run        jsonb NOT NULL
);

CREATE TABLE survey_invitations (
    id         text PRIMARY KEY,
    run_id     text NOT NULL,
    platform   text NOT NULL,
    user_id    text NOT NULL,
    state      text NOT NULL,
    invitation jsonb NOT NULL
);
CREATE INDEX survey_invitations_run ON survey_invitations (run_id);
CREATE INDEX survey_invitations_person ON survey_invitations (platform, user_id);
CREATE INDEX survey_invitations_active ON survey_invitations (state) WHERE state IN ('Pending', 'Invited', 'Reminded');

CREATE TABLE survey_meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE chart_images (
    id       text PRIMARY KEY,
    png      bytea NOT NULL,
    saved_at timestamptz NOT NULL
);
CREATE INDEX chart_images_saved_at ON chart_images (saved_at);

-- Digests: subscriptions, targets, and the delivery log that sends each (subscription, period) once.
CREATE TABLE digest_subscriptions (
    id              text PRIMARY KEY,
    platform        text NOT NULL,
    conversation_id text NOT NULL,
    subscribed_at   timestamptz NOT NULL,
    subscription    jsonb NOT NULL
);
CREATE INDEX digest_subscriptions_conversation ON digest_subscriptions (platform, conversation_id);

CREATE TABLE digest_targets (
    metric text PRIMARY KEY,
    value  numeric NOT NULL
);

CREATE TABLE digest_deliveries (
    subscription_id text NOT NULL,
    period_key      text NOT NULL,
    state           text NOT NULL,
    owner           text NOT NULL,
    attempts        integer NOT NULL,
    updated_at      timestamptz NOT NULL,
    message_id      text,
    error           text,
    PRIMARY KEY (subscription_id, period_key)
);

CREATE TABLE freshness (
    source text PRIMARY KEY,
    at     timestamptz NOT NULL
);

-- Connectors' ledgers: a delivery id is applied once (the primary key is the dedupe).
CREATE TABLE billing_deliveries (
    delivery_id text PRIMARY KEY,
    source      text NOT NULL,
    object_id   text NOT NULL,
    object_time timestamptz NOT NULL
);

CREATE TABLE billing_objects (
    object_id   text PRIMARY KEY,
    object_time timestamptz NOT NULL
);

CREATE TABLE billing_shares (
    subscription_id text PRIMARY KEY,
    customer_id     text NOT NULL,
    mrr             numeric NOT NULL
);
CREATE INDEX billing_shares_customer ON billing_shares (customer_id);

CREATE TABLE support_deliveries (
    delivery_id text PRIMARY KEY,
    source      text NOT NULL,
    ticket_id   text NOT NULL
);

CREATE TABLE support_tickets (
    ticket_id   text PRIMARY KEY,
    status_at   timestamptz,
    resolved_at timestamptz,
    reply_ids   text[] NOT NULL
);

-- Installations (tokens arrive encrypted by the adapter) and used install-link nonces.
CREATE TABLE installations (
    platform     text NOT NULL,
    key          text NOT NULL,
    installed_at timestamptz NOT NULL,
    installation jsonb NOT NULL,
    PRIMARY KEY (platform, key)
);

CREATE TABLE used_nonces (
    hash       text PRIMARY KEY,
    expires_at timestamptz NOT NULL
);
CREATE INDEX used_nonces_expires_at ON used_nonces (expires_at);

-- API keys: the secret only as its SHA-256; names unique ignoring case.
CREATE TABLE api_keys (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    name_key      text NOT NULL UNIQUE,
    secret_sha256 bytea NOT NULL,
    scopes        text[] NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz,
    revoked_at    timestamptz
);
