-- +goose Up
-- A billing run of one tenant and period (YYYY-MM). Dry runs are never
-- stored.
CREATE TABLE billing_runs (
    id            TEXT PRIMARY KEY,
    tenant_id     TEXT NOT NULL REFERENCES tenants(id),
    period        TEXT NOT NULL CHECK (period GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]'),
    kind          TEXT NOT NULL CHECK (kind IN ('regular', 'supplementary')),
    invoice_count INTEGER NOT NULL,
    net_cents     INTEGER NOT NULL,
    vat_cents     INTEGER NOT NULL,
    gross_cents   INTEGER NOT NULL,
    created_by    TEXT REFERENCES users(id),
    created_at    DATETIME NOT NULL
);
CREATE INDEX billing_runs_tenant ON billing_runs (tenant_id, period, id);
-- One regular run per tenant and period; later ones are supplementary.
CREATE UNIQUE INDEX billing_runs_one_regular ON billing_runs (tenant_id, period) WHERE kind = 'regular';

-- The last invoice number used per tenant and year. Incremented inside the
-- run's transaction, so a rolled-back run gives its numbers back: no gaps,
-- no reuse.
CREATE TABLE invoice_series (
    tenant_id   TEXT NOT NULL REFERENCES tenants(id),
    year        INTEGER NOT NULL,
    last_number INTEGER NOT NULL CHECK (last_number >= 0),
    PRIMARY KEY (tenant_id, year)
);

CREATE TABLE invoices (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id),
    billing_run_id     TEXT REFERENCES billing_runs(id),
    customer_id        TEXT NOT NULL REFERENCES organizations(id),
    invoice_number     TEXT NOT NULL,
    reference_number   TEXT NOT NULL,
    rf_reference       TEXT NOT NULL,
    invoice_date       TEXT NOT NULL,
    due_date           TEXT NOT NULL,
    net_cents          INTEGER NOT NULL,
    vat_cents          INTEGER NOT NULL,
    gross_cents        INTEGER NOT NULL,
    vat_treatment      TEXT NOT NULL CHECK (vat_treatment IN ('standard', 'internal', 'exempt')),
    vat_exempt_reason  TEXT NOT NULL DEFAULT '',
    credits_invoice_id TEXT REFERENCES invoices(id),
    -- The parties' business ids as they were on the invoice date.
    seller_business_id TEXT NOT NULL DEFAULT '',
    buyer_business_id  TEXT NOT NULL DEFAULT '',
    created_at         DATETIME NOT NULL,
    CONSTRAINT invoices_number UNIQUE (tenant_id, invoice_number),
    CHECK (gross_cents = net_cents + vat_cents),
    CHECK ((billing_run_id IS NULL) = (credits_invoice_id IS NOT NULL))
);
CREATE INDEX invoices_run ON invoices (billing_run_id, id);
CREATE INDEX invoices_customer ON invoices (tenant_id, customer_id, id);

CREATE TABLE invoice_lines (
    id               TEXT PRIMARY KEY,
    invoice_id       TEXT NOT NULL REFERENCES invoices(id),
    line_no          INTEGER NOT NULL,
    order_id         TEXT NOT NULL REFERENCES orders(id),
    organiser_id     TEXT NOT NULL REFERENCES organizations(id),
    kind             TEXT NOT NULL CHECK (kind IN ('participant_hours', 'supervisor_hours', 'late_cancellation')),
    minutes          INTEGER NOT NULL,
    count            INTEGER NOT NULL,
    unit_price_cents INTEGER NOT NULL,
    amount_cents     INTEGER NOT NULL,
    vat_bps          INTEGER NOT NULL,
    -- The credit note that reversed this line: a line is credited once.
    credited_by      TEXT REFERENCES invoices(id),
    UNIQUE (invoice_id, line_no)
);

CREATE TABLE invoice_vat (
    invoice_id TEXT NOT NULL REFERENCES invoices(id),
    vat_bps    INTEGER NOT NULL,
    net_cents  INTEGER NOT NULL,
    vat_cents  INTEGER NOT NULL,
    PRIMARY KEY (invoice_id, vat_bps)
);

-- What the job center owes an organiser for a run (or gives back with a
-- credit note).
CREATE TABLE settlements (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    billing_run_id TEXT REFERENCES billing_runs(id),
    invoice_id     TEXT REFERENCES invoices(id),
    organiser_id   TEXT NOT NULL REFERENCES organizations(id),
    gross_cents    INTEGER NOT NULL,
    fee_cents      INTEGER NOT NULL,
    payable_cents  INTEGER NOT NULL,
    CHECK (payable_cents = gross_cents - fee_cents),
    CHECK ((billing_run_id IS NULL) <> (invoice_id IS NULL))
);
CREATE INDEX settlements_run ON settlements (billing_run_id, id);

-- What an organiser pays a participant for a run.
CREATE TABLE payouts (
    id                TEXT PRIMARY KEY,
    tenant_id         TEXT NOT NULL REFERENCES tenants(id),
    billing_run_id    TEXT REFERENCES billing_runs(id),
    invoice_id        TEXT REFERENCES invoices(id),
    participant_id    TEXT NOT NULL REFERENCES participants(id),
    organiser_id      TEXT NOT NULL REFERENCES organizations(id),
    days              INTEGER NOT NULL,
    minutes           INTEGER NOT NULL,
    gross_cents       INTEGER NOT NULL,
    withholding_cents INTEGER NOT NULL,
    net_cents         INTEGER NOT NULL,
    taxable_cents     INTEGER NOT NULL,
    CHECK (net_cents = gross_cents - withholding_cents),
    CHECK ((billing_run_id IS NULL) <> (invoice_id IS NULL))
);
CREATE INDEX payouts_run ON payouts (billing_run_id, organiser_id, id);

-- Double entry: for every run and credit note, debits equal credits.
CREATE TABLE journal_entries (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    billing_run_id TEXT REFERENCES billing_runs(id),
    invoice_id     TEXT REFERENCES invoices(id),
    line_no        INTEGER NOT NULL,
    entry_date     TEXT NOT NULL,
    account        TEXT NOT NULL,
    debit_cents    INTEGER NOT NULL CHECK (debit_cents >= 0),
    credit_cents   INTEGER NOT NULL CHECK (credit_cents >= 0),
    memo           TEXT NOT NULL DEFAULT '',
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
