-- +goose Up
CREATE TABLE tenants (
    id                      text PRIMARY KEY,
    name                    text NOT NULL UNIQUE,
    business_id             text NOT NULL DEFAULT '',
    street                  text NOT NULL DEFAULT '',
    postal_code             text NOT NULL DEFAULT '',
    city                    text NOT NULL DEFAULT '',
    iban                    text NOT NULL DEFAULT '',
    bic                     text NOT NULL DEFAULT '',
    horizon_weeks           integer NOT NULL DEFAULT 8 CHECK (horizon_weeks BETWEEN 1 AND 52),
    max_crew_per_supervisor integer NOT NULL DEFAULT 8 CHECK (max_crew_per_supervisor >= 1),
    auto_approve_days       integer NOT NULL DEFAULT 3 CHECK (auto_approve_days >= 1),
    account_receivables     text NOT NULL DEFAULT '1700',
    account_sales           text NOT NULL DEFAULT '3000',
    account_vat_payable     text NOT NULL DEFAULT '2939',
    account_purchases       text NOT NULL DEFAULT '4000',
    account_organiser_payables text NOT NULL DEFAULT '2871',
    version                 integer NOT NULL DEFAULT 1,
    created_at              DATETIME NOT NULL
);

CREATE TABLE organizations (
    id                   text PRIMARY KEY,
    tenant_id            text NOT NULL REFERENCES tenants(id),
    kind                 text NOT NULL CHECK (kind IN ('customer', 'organiser')),
    name                 text NOT NULL CHECK (name <> ''),
    business_id          text NOT NULL DEFAULT '',
    vat_treatment        text NOT NULL DEFAULT '' CHECK (vat_treatment IN ('', 'standard', 'internal', 'exempt')),
    vat_exempt_reason    text NOT NULL DEFAULT '',
    billing_street       text NOT NULL DEFAULT '',
    billing_postal_code  text NOT NULL DEFAULT '',
    billing_city         text NOT NULL DEFAULT '',
    billing_country      text NOT NULL DEFAULT '',
    einvoice_address     text NOT NULL DEFAULT '',
    einvoice_operator    text NOT NULL DEFAULT '',
    iban                 text NOT NULL DEFAULT '',
    coordination_fee_bps bigint NOT NULL DEFAULT 0 CHECK (coordination_fee_bps BETWEEN 0 AND 10000),
    public_buyer         BOOLEAN NOT NULL DEFAULT false,
    version              integer NOT NULL DEFAULT 1,
    created_at           DATETIME NOT NULL,
    updated_at           DATETIME NOT NULL,
    CHECK (kind = 'organiser' OR vat_treatment <> '')
);
CREATE INDEX organizations_tenant ON organizations (tenant_id, id);

CREATE TABLE users (
    id              text PRIMARY KEY,
    tenant_id       text NOT NULL REFERENCES tenants(id),
    email           text NOT NULL UNIQUE,
    password_hash   text NOT NULL,
    role            text NOT NULL CHECK (role IN ('admin', 'coordinator', 'supervisor', 'customer', 'finance')),
    organization_id text REFERENCES organizations(id),
    name            text NOT NULL DEFAULT '',
    phone           text NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    CHECK ((role IN ('customer', 'supervisor')) = (organization_id IS NOT NULL))
);
CREATE INDEX users_tenant ON users (tenant_id, id);

CREATE TABLE task_types (
    id          text PRIMARY KEY,
    tenant_id   text NOT NULL REFERENCES tenants(id),
    name        text NOT NULL CHECK (name <> ''),
    description text NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    UNIQUE (tenant_id, name)
);

CREATE TABLE refresh_tokens (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id),
    user_id    text NOT NULL REFERENCES users(id),
    family_id  text NOT NULL,
    token_hash text NOT NULL UNIQUE,
    expires_at DATETIME NOT NULL,
    used_at    DATETIME,
    revoked_at DATETIME,
    created_at DATETIME NOT NULL
);
CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id);

CREATE TABLE idempotency_keys (
    tenant_id    text NOT NULL,
    user_id      text NOT NULL,
    key          text NOT NULL,
    request_hash text NOT NULL,
    completed    BOOLEAN NOT NULL DEFAULT false,
    status_code  integer NOT NULL DEFAULT 0,
    content_type text NOT NULL DEFAULT '',
    body         BLOB,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (tenant_id, user_id, key)
);

CREATE TABLE job_runs (
    job         text NOT NULL,
    slot        text NOT NULL,
    started_at  DATETIME NOT NULL,
    finished_at DATETIME,
    status      text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed')),
    error       text NOT NULL DEFAULT '',
    PRIMARY KEY (job, slot)
);

-- The VAT standard rate is a dated setting, not a constant in code.
CREATE TABLE vat_rates (
    valid_from TEXT PRIMARY KEY,
    rate_bps   bigint NOT NULL CHECK (rate_bps BETWEEN 0 AND 10000)
);
INSERT INTO vat_rates (valid_from, rate_bps) VALUES ('2013-01-01', 2400), ('2024-09-01', 2550);

-- +goose Down
DROP TABLE vat_rates;
DROP TABLE job_runs;
DROP TABLE idempotency_keys;
DROP TABLE refresh_tokens;
DROP TABLE task_types;
DROP TABLE users;
DROP TABLE organizations;
DROP TABLE tenants;
