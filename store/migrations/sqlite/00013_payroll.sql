-- +goose Up
-- Payroll (PAYROLL.md): national rates as dated settings, tax cards, the
-- participant's identity code, language and employment start, the
-- organiser's own insurance rates, the payroll lines of a payout, and the
-- journal accounts of wages.

-- National payroll rates, service-wide like vat_rates: the value valid on
-- a payout's payment date applies. Sources of the 2026 values:
--   employee_pension_bps 730, TyEL employee contribution for all ages, and
--   pension_insurance_threshold_cents 7172, the TyEL insurance threshold:
--     sttinfo.fi/tiedote/71711305 (15.12.2025);
--   employee_unemployment_bps 89, employer_unemployment_bps 31,
--   employer_unemployment_high_bps 72 above employer_unemployment_threshold_cents
--   250950000 (2 509 500 EUR of yearly payroll): demokraatti.fi (4.12.2025),
--     per tyollisyysrahasto.fi's confirmation of the 2026 contributions;
--   employer_health_insurance_bps 187: UNCONFIRMED placeholder from the
--     worked example of PAYROLL.md; no 2026 figure was found on vero.fi or
--     kela.fi. Replace it with `jobcenter payroll-rate add` once confirmed;
--   work_share_tax_free_cents 1200 (12 EUR a day of työosuusraha):
--     verneri.net/selko/tyo/palkka-vai-tyoosuusraha (secondary source).
CREATE TABLE payroll_rates (
    name       TEXT NOT NULL CHECK (name IN ('employee_pension_bps', 'employee_unemployment_bps',
        'employer_unemployment_bps', 'employer_unemployment_high_bps', 'employer_unemployment_threshold_cents',
        'employer_health_insurance_bps', 'work_share_tax_free_cents', 'pension_insurance_threshold_cents')),
    valid_from TEXT NOT NULL,
    value      INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (name, valid_from),
    CHECK (name LIKE '%\_cents' ESCAPE '\' OR value <= 10000)
);
INSERT INTO payroll_rates (name, valid_from, value) VALUES
    ('employee_pension_bps', '2026-01-01', 730),
    ('employee_unemployment_bps', '2026-01-01', 89),
    ('employer_unemployment_bps', '2026-01-01', 31),
    ('employer_unemployment_high_bps', '2026-01-01', 72),
    ('employer_unemployment_threshold_cents', '2026-01-01', 250950000),
    ('employer_health_insurance_bps', '2026-01-01', 187),
    ('work_share_tax_free_cents', '2026-01-01', 1200),
    ('pension_insurance_threshold_cents', '2026-01-01', 7172);

-- One tax card per participant and year.
CREATE TABLE tax_cards (
    id                 TEXT PRIMARY KEY,
    tenant_id          TEXT NOT NULL REFERENCES tenants(id),
    participant_id     TEXT NOT NULL REFERENCES participants(id),
    year               INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    basic_bps          INTEGER NOT NULL CHECK (basic_bps BETWEEN 0 AND 10000),
    additional_bps     INTEGER NOT NULL CHECK (additional_bps BETWEEN 0 AND 10000),
    income_limit_cents INTEGER NOT NULL CHECK (income_limit_cents >= 0),
    created_at         DATETIME NOT NULL,
    CONSTRAINT tax_cards_one_per_year UNIQUE (participant_id, year)
);

-- The identity code is sealed like the IBAN; '' = not given.
ALTER TABLE participants ADD COLUMN identity_code_encrypted TEXT NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN language TEXT NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en'));
ALTER TABLE participants ADD COLUMN employment_start_date TEXT;

-- The organiser as employer. 1710 is the 2026 average TyEL employer share
-- (PAYROLL.md); the real rate is on the insurer's invoice.
ALTER TABLE organizations ADD COLUMN pension_insurer TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN pension_policy_number TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN employer_pension_bps INTEGER NOT NULL DEFAULT 1710 CHECK (employer_pension_bps BETWEEN 0 AND 10000);
ALTER TABLE organizations ADD COLUMN accident_insurance_bps INTEGER NOT NULL DEFAULT 0 CHECK (accident_insurance_bps BETWEEN 0 AND 10000);

-- Journal accounts of payroll (a common Finnish chart of accounts).
ALTER TABLE tenants ADD COLUMN account_wages TEXT NOT NULL DEFAULT '5000';
ALTER TABLE tenants ADD COLUMN account_social_costs TEXT NOT NULL DEFAULT '6100';
ALTER TABLE tenants ADD COLUMN account_withholding_payable TEXT NOT NULL DEFAULT '2930';
ALTER TABLE tenants ADD COLUMN account_social_security_payable TEXT NOT NULL DEFAULT '2931';
ALTER TABLE tenants ADD COLUMN account_pension_payable TEXT NOT NULL DEFAULT '2935';
ALTER TABLE tenants ADD COLUMN account_unemployment_payable TEXT NOT NULL DEFAULT '2936';
ALTER TABLE tenants ADD COLUMN account_accident_insurance_payable TEXT NOT NULL DEFAULT '2937';
ALTER TABLE tenants ADD COLUMN account_holiday_liability TEXT NOT NULL DEFAULT '2950';
ALTER TABLE tenants ADD COLUMN account_net_wages_payable TEXT NOT NULL DEFAULT '2940';

-- A payout's payroll lines. period is its pay period, payment_date the
-- day it is paid (the run's date). wage_cents is the time-rate pay part of
-- gross (income type 201), the rest a työosuusraha. The net rule changes,
-- so the table is rebuilt (SQLite cannot drop a CHECK); foreign keys are
-- checked at commit, when carried_into points at the new table again.
-- Earlier payouts: wages were the gross of hourly-wage payouts, which had
-- no taxable allowance and a withholding (a heuristic: old rows do not say
-- their basis); their pay period and payment date are their run's (a
-- credit note's: the credited invoice's run and the note's date).
PRAGMA defer_foreign_keys = ON;
CREATE TABLE payouts_new (
    id                                TEXT PRIMARY KEY,
    tenant_id                         TEXT NOT NULL REFERENCES tenants(id),
    billing_run_id                    TEXT REFERENCES billing_runs(id),
    invoice_id                        TEXT REFERENCES invoices(id),
    participant_id                    TEXT NOT NULL REFERENCES participants(id),
    organiser_id                      TEXT NOT NULL REFERENCES organizations(id),
    period                            TEXT NOT NULL,
    payment_date                      TEXT NOT NULL,
    days                              INTEGER NOT NULL,
    minutes                           INTEGER NOT NULL,
    gross_cents                       INTEGER NOT NULL,
    wage_cents                        INTEGER NOT NULL DEFAULT 0,
    tax_free_cents                    INTEGER NOT NULL DEFAULT 0,
    taxable_cents                     INTEGER NOT NULL,
    holiday_accrued_cents             INTEGER NOT NULL DEFAULT 0,
    holiday_compensation_cents        INTEGER NOT NULL DEFAULT 0,
    withholding_cents                 INTEGER NOT NULL,
    pension_cents                     INTEGER NOT NULL DEFAULT 0,
    unemployment_insurance_cents      INTEGER NOT NULL DEFAULT 0,
    net_cents                         INTEGER NOT NULL,
    employer_pension_cents            INTEGER NOT NULL DEFAULT 0,
    employer_unemployment_cents       INTEGER NOT NULL DEFAULT 0,
    employer_health_insurance_cents   INTEGER NOT NULL DEFAULT 0,
    employer_accident_insurance_cents INTEGER NOT NULL DEFAULT 0,
    employer_cost_cents               INTEGER NOT NULL DEFAULT 0,
    carried_into                      TEXT REFERENCES payouts(id),
    carried_net_cents                 INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT payouts_net CHECK (net_cents = gross_cents + holiday_compensation_cents
        - withholding_cents - pension_cents - unemployment_insurance_cents),
    CONSTRAINT payouts_allowance CHECK (gross_cents = wage_cents + tax_free_cents + taxable_cents),
    CHECK ((billing_run_id IS NULL) <> (invoice_id IS NULL))
);
INSERT INTO payouts_new (id, tenant_id, billing_run_id, invoice_id, participant_id, organiser_id, period, payment_date,
        days, minutes, gross_cents, wage_cents, tax_free_cents, taxable_cents, withholding_cents, net_cents, carried_into, carried_net_cents)
    SELECT p.id, p.tenant_id, p.billing_run_id, p.invoice_id, p.participant_id, p.organiser_id,
        COALESCE(r.period, cr.period), COALESCE(date(r.created_at), n.invoice_date),
        p.days, p.minutes, p.gross_cents,
        CASE WHEN p.taxable_cents = 0 AND p.withholding_cents <> 0 THEN p.gross_cents ELSE 0 END,
        CASE WHEN p.taxable_cents = 0 AND p.withholding_cents <> 0 THEN 0 ELSE p.gross_cents - p.taxable_cents END,
        p.taxable_cents, p.withholding_cents, p.net_cents, p.carried_into, p.carried_net_cents
    FROM payouts p
    LEFT JOIN billing_runs r ON r.id = p.billing_run_id
    LEFT JOIN invoices n ON n.id = p.invoice_id
    LEFT JOIN invoices o ON o.id = n.credits_invoice_id
    LEFT JOIN billing_runs cr ON cr.id = o.billing_run_id;
DROP TABLE payouts;
ALTER TABLE payouts_new RENAME TO payouts;
CREATE INDEX payouts_run ON payouts (billing_run_id, organiser_id, id);
CREATE INDEX payouts_open_balances ON payouts (tenant_id, participant_id)
    WHERE carried_into IS NULL AND (invoice_id IS NOT NULL OR net_cents < 0);
-- The year's earlier payouts of a participant, read once per run.
CREATE INDEX payouts_participant_year ON payouts (tenant_id, participant_id, payment_date);

-- +goose Down
-- The payroll lines cannot go back into the old net rule without losing
-- money figures; this migration is not reversible on SQLite.
SELECT 'irreversible';
