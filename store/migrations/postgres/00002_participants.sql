-- +goose Up
-- btree_gist lets one exclusion constraint mix equality on text ids with
-- overlap of date ranges (trusted since PostgreSQL 13: no superuser needed).
CREATE EXTENSION IF NOT EXISTS btree_gist;

CREATE TABLE participants (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id),
    organiser_id   text NOT NULL REFERENCES organizations(id),
    first_name     text NOT NULL CHECK (first_name <> ''),
    last_name      text NOT NULL CHECK (last_name <> ''),
    pseudonym      text NOT NULL CHECK (pseudonym <> ''),
    email          text NOT NULL DEFAULT '',
    phone          text NOT NULL DEFAULT '',
    -- AES-GCM sealed, base64: never the plain account number.
    iban_encrypted text NOT NULL CHECK (iban_encrypted <> ''),
    active         boolean NOT NULL DEFAULT true,
    version        integer NOT NULL DEFAULT 1,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    UNIQUE (tenant_id, pseudonym),
    -- Target of the (tenant_id, participant_id) foreign keys below, so a
    -- child row can never point into another tenant.
    UNIQUE (tenant_id, id)
);
CREATE INDEX participants_organiser ON participants (tenant_id, organiser_id, id);

CREATE TABLE service_decisions (
    id                    text PRIMARY KEY,
    tenant_id             text NOT NULL,
    participant_id        text NOT NULL,
    kind                  text NOT NULL CHECK (kind IN ('rehabilitative_work_activity', 'disability_work_activity', 'supported_employment')),
    valid_from            date NOT NULL,
    valid_until           date,
    max_days_per_week     integer NOT NULL CHECK (max_days_per_week BETWEEN 0 AND 7),
    max_hours_per_day     integer NOT NULL CHECK (max_hours_per_day BETWEEN 0 AND 24),
    compensation          text NOT NULL CHECK (compensation IN ('daily_allowance', 'hourly_wage', 'none')),
    daily_allowance_cents bigint NOT NULL DEFAULT 0 CHECK (daily_allowance_cents >= 0),
    hourly_wage_cents     bigint NOT NULL DEFAULT 0 CHECK (hourly_wage_cents >= 0),
    withholding_bps       bigint NOT NULL DEFAULT 0 CHECK (withholding_bps BETWEEN 0 AND 10000),
    superseded_by         text REFERENCES service_decisions(id),
    created_at            timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
    CHECK (valid_until IS NULL OR valid_until >= valid_from),
    -- The decisions of one participant never share a day.
    CONSTRAINT service_decisions_no_overlap EXCLUDE USING gist
        (participant_id WITH =, daterange(valid_from, valid_until, '[]') WITH &&)
);

CREATE TABLE outcomes (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL,
    participant_id text NOT NULL,
    kind           text NOT NULL CHECK (kind IN ('paid_employment', 'education', 'other_service', 'ended')),
    date           date NOT NULL,
    note           text NOT NULL DEFAULT '',
    created_by     text NOT NULL REFERENCES users(id),
    created_at     timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id)
);
CREATE INDEX outcomes_participant ON outcomes (participant_id, id);

CREATE TABLE availability_windows (
    tenant_id      text NOT NULL,
    participant_id text NOT NULL,
    weekday        integer NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    start_time     time NOT NULL,
    end_time       time NOT NULL,
    PRIMARY KEY (participant_id, weekday, start_time),
    FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id),
    CHECK (end_time > start_time)
);

-- Every read of a participant's personal data (Act 703/2023).
CREATE TABLE access_log_entries (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL,
    participant_id text NOT NULL,
    user_id        text NOT NULL REFERENCES users(id),
    role           text NOT NULL,
    action         text NOT NULL CHECK (action IN ('read', 'list', 'update', 'export')),
    route          text NOT NULL,
    at             timestamptz NOT NULL,
    FOREIGN KEY (tenant_id, participant_id) REFERENCES participants (tenant_id, id)
);
CREATE INDEX access_log_entries_participant ON access_log_entries (participant_id, at DESC, id DESC);

-- +goose Down
DROP TABLE access_log_entries;
DROP TABLE availability_windows;
DROP TABLE outcomes;
DROP TABLE service_decisions;
DROP TABLE participants;
