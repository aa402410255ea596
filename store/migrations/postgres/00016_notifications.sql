-- +goose Up
-- The transactional outbox: each row is written in the same transaction as
-- the change it reports, so an event exists if and only if its change
-- committed. The dispatcher fans a row out into deliveries once
-- (fanned_out_at), then sends the deliveries at least once; receivers dedupe
-- by the event id. dedupe_key makes a notice of a daily job (the shift
-- tomorrow, missing hours) be recorded once however often the job runs.
CREATE TABLE outbox (
    id            text PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants(id),
    type          text NOT NULL,
    dedupe_key    text UNIQUE,
    data          text NOT NULL,
    created_at    timestamptz NOT NULL,
    fanned_out_at timestamptz
);
CREATE INDEX outbox_pending ON outbox (created_at) WHERE fanned_out_at IS NULL;

-- A tenant's webhook subscriptions. The secret signs the deliveries
-- (Standard Webhooks); it is shown once, at creation. failing_since is the
-- start of an unbroken run of failures; three days of it disable the
-- subscription.
CREATE TABLE webhooks (
    id              text PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants(id),
    url             text NOT NULL CHECK (url <> ''),
    events          text NOT NULL CHECK (events <> ''),
    secret          text NOT NULL CHECK (secret LIKE 'whsec_%'),
    created_at      timestamptz NOT NULL,
    failing_since   timestamptz,
    disabled_at     timestamptz,
    disabled_reason text NOT NULL DEFAULT ''
);
CREATE INDEX webhooks_tenant ON webhooks (tenant_id, id);

-- One event to one receiver: a webhook subscription or a user's mailbox.
-- A pending delivery is due at next_attempt_at; a dispatcher that claims it
-- writes its lease token and pushes next_attempt_at past the send, so
-- another replica does not take it meanwhile.
CREATE TABLE deliveries (
    id               text PRIMARY KEY,
    tenant_id        text NOT NULL REFERENCES tenants(id),
    event_id         text NOT NULL REFERENCES outbox(id),
    channel          text NOT NULL CHECK (channel IN ('webhook', 'email')),
    webhook_id       text REFERENCES webhooks(id) ON DELETE CASCADE,
    user_id          text REFERENCES users(id),
    status           text NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    next_attempt_at  timestamptz NOT NULL,
    lease            text,
    last_status_code integer,
    last_response_ms integer,
    last_error       text NOT NULL DEFAULT '',
    created_at       timestamptz NOT NULL,
    delivered_at     timestamptz,
    CHECK ((channel = 'webhook') = (webhook_id IS NOT NULL)),
    CHECK ((channel = 'email') = (user_id IS NOT NULL)),
    CHECK ((status = 'delivered') = (delivered_at IS NOT NULL)),
    CONSTRAINT deliveries_webhook_event UNIQUE (webhook_id, event_id),
    CONSTRAINT deliveries_user_event UNIQUE (user_id, event_id)
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE status = 'pending';
CREATE INDEX deliveries_event ON deliveries (event_id);

-- The delivery log: every attempt with its HTTP status and response time.
CREATE TABLE delivery_attempts (
    id           text PRIMARY KEY,
    delivery_id  text NOT NULL REFERENCES deliveries(id) ON DELETE CASCADE,
    attempted_at timestamptz NOT NULL,
    status_code  integer,
    response_ms  integer NOT NULL CHECK (response_ms >= 0),
    error        text NOT NULL DEFAULT ''
);
CREATE INDEX delivery_attempts_delivery ON delivery_attempts (delivery_id, attempted_at);

-- The language of a user's mails, and the kinds of mail a user turned off.
ALTER TABLE users ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en'));
CREATE TABLE notification_opt_outs (
    user_id text NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind    text NOT NULL,
    PRIMARY KEY (user_id, kind)
);

-- +goose Down
DROP TABLE notification_opt_outs;
ALTER TABLE users DROP COLUMN language;
DROP TABLE delivery_attempts;
DROP TABLE deliveries;
DROP TABLE webhooks;
DROP TABLE outbox;
