-- +goose Up
-- A billing run of one tenant and period (YYYY-MM). Dry runs are never
-- stored.
CREATE TABLE billing_runs (
    id            text PRIMARY KEY,
    tenant_id     text NOT NULL REFERENCES tenants(id),
    period        text NOT NULL CHECK (period ~ '^[0-9]{4}-(0[1-9]|1[0-2])$'),
    kind          text NOT NULL CHECK (kind IN ('regular', 'supplementary')),
    invoice_count integer NOT NULL,
    net_cents     bigint NOT NULL,
    vat_cents     bigint NOT NULL,
    gross_cents   bigint NOT NULL,
    created_by    text REFERENCES users(id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX billing_runs_tenant ON billing_runs (tenant_id, period, id);
-- One regular run per tenant and period; later ones are supplementary.
CREATE UNIQUE INDEX billing_runs_one_regular ON billing_runs (tenant_id, period) WHERE kind = 'regular';

-- The last invoice number used per tenant and year. Incremented inside the
-- run's transaction, so a rolled-back run gives its numbers back: no gaps,
-- no reuse.
CREATE TABLE invoice_series (
    tenant_id   text NOT NULL REFERENCES tenants(id),
    year        integer NOT NULL,
    last_number integer NOT NULL CHECK (last_number >= 0),
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE invoices (
    id                 text PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants(id),
    billing_run_id     text REFERENCES billing_runs(id),
    customer_id        text NOT NULL REFERENCES organizations(id),
    invoice_number     text NOT NULL,
    reference_number   text NOT NULL,
    rf_reference       text NOT NULL,
    invoice_date       date NOT NULL,
    due_date           date NOT NULL,
    net_cents          bigint NOT NULL,
    vat_cents          bigint NOT NULL,
    gross_cents        bigint NOT NULL,
    vat_treatment      text NOT NULL CHECK (vat_treatment IN ('standard', 'internal', 'exempt')),
    vat_exempt_reason  text NOT NULL DEFAULT '',
    credits_invoice_id text REFERENCES invoices(id),
    -- The parties' business ids as they were on the invoice date.
    seller_business_id text NOT NULL DEFAULT '',
    buyer_business_id  text NOT NULL DEFAULT '',
    created_at         timestamptz NOT NULL,
    CONSTRAINT invoices_number UNIQUE (tenant_id, invoice_number),
    CHECK (gross_cents = net_cents + vat_cents),
    CHECK ((billing_run_id IS NULL) = (credits_invoice_id IS NOT NULL))
);
CREATE INDEX invoices_run ON invoices (billing_run_id, id);
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id, id);

CREATE TABLE invoice_lines (
    id               text PRIMARY KEY,
    invoice_id       text NOT NULL REFERENCES invoices(id),
    line_no          integer NOT NULL,
    order_id         text NOT NULL REFERENCES orders(id),
    organiser_id     text NOT NULL REFERENCES organizations(id),
    kind             text NOT NULL CHECK (kind IN ('participant_hours', 'supervisor_hours', 'late_cancellation')),
    minutes          bigint NOT NULL,
    count            bigint NOT NULL,
    unit_price_cents bigint NOT NULL,
    amount_cents     bigint NOT NULL,
    vat_bps          bigint NOT NULL,
    -- The credit note that reversed this line: a line is credited once.
    credited_by      text REFERENCES invoices(id),
    UNIQUE (invoice_id, line_no)
);

CREATE TABLE invoice_vat (
    invoice_id text NOT NULL REFERENCES invoices(id),
    vat_bps    bigint NOT NULL,
    net_cents  bigint NOT NULL,
    vat_cents  bigint NOT NULL,
    PRIMARY KEY (invoice_id, vat_bps)
);

-- What the job center owes an organiser for a run (or gives back with a
-- credit note).
CREATE TABLE settlements (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id),
    billing_run_id text REFERENCES billing_runs(id),
    invoice_id     text REFERENCES invoices(id),
    organiser_id   text NOT NULL REFERENCES organizations(id),
    gross_cents    bigint NOT NULL,
    fee_cents      bigint NOT NULL,
    payable_cents  bigint NOT NULL,
    CHECK (payable_cents = gross_cents - fee_cents),
    CHECK ((billing_run_id IS NULL) <> (invoice_id IS NULL))
);
CREATE INDEX settlements_run ON settlements (billing_run_id, id);

-- What an organiser pays a participant for a run.
CREATE TABLE payouts (
    id                text PRIMARY KEY,
    tenant_id         text NOT NULL REFERENCES tenants(id),
    billing_run_id    text REFERENCES billing_runs(id),
    invoice_id        text REFERENCES invoices(id),
    participant_id    text NOT NULL REFERENCES participants(id),
    organiser_id      text NOT NULL REFERENCES organizations(id),
    days              bigint NOT NULL,
    minutes           bigint NOT NULL,
    gross_cents       bigint NOT NULL,
    withholding_cents bigint NOT NULL,
    net_cents         bigint NOT NULL,
    taxable_cents     bigint NOT NULL,
    CHECK (net_cents = gross_cents - withholding_cents),
    CHECK ((billing_run_id IS NULL) <> (invoice_id IS NULL))
);
CREATE INDEX payouts_run ON payouts (billing_run_id, organiser_id, id);

-- Double entry: for every run and credit note, debits equal credits.
CREATE TABLE journal_entries (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id),
    billing_run_id text REFERENCES billing_runs(id),
    invoice_id     text REFERENCES invoices(id),
    line_no        integer NOT NULL,
    entry_date     date NOT NULL,
    account        text NOT NULL,
    debit_cents    bigint NOT NULL CHECK (debit_cents >= 0),
    credit_cents   bigint NOT NULL CHECK (credit_cents >= 0),
    memo           text NOT NULL DEFAULT '',
    CHECK ((debit_cents = 0) <> (credit_cents = 0))
);
CREATE INDEX journal_entries_run ON journal_entries (billing_run_id, line_no);

-- +goose Down
DROP TABLE journal_entries;
DROP TABLE payouts;
DROP TABLE settlements;
DROP TABLE invoice_vat;
DROP TABLE invoice_lines;
DROP TABLE invoices;
DROP TABLE invoice_series;
DROP TABLE billing_runs;
