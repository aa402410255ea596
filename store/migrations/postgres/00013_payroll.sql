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
    name       text NOT NULL CHECK (name IN ('employee_pension_bps', 'employee_unemployment_bps',
        'employer_unemployment_bps', 'employer_unemployment_high_bps', 'employer_unemployment_threshold_cents',
        'employer_health_insurance_bps', 'work_share_tax_free_cents', 'pension_insurance_threshold_cents')),
    valid_from date NOT NULL,
    value      bigint NOT NULL CHECK (value >= 0),
    PRIMARY KEY (name, valid_from),
    CHECK (name LIKE '%\_cents' OR value <= 10000)
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
    id                 text PRIMARY KEY,
    tenant_id          text NOT NULL REFERENCES tenants(id),
    participant_id     text NOT NULL REFERENCES participants(id),
    year               integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    basic_bps          bigint NOT NULL CHECK (basic_bps BETWEEN 0 AND 10000),
    additional_bps     bigint NOT NULL CHECK (additional_bps BETWEEN 0 AND 10000),
    income_limit_cents bigint NOT NULL CHECK (income_limit_cents >= 0),
    created_at         timestamptz NOT NULL,
    CONSTRAINT tax_cards_one_per_year UNIQUE (participant_id, year)
);

-- The identity code is sealed like the IBAN; '' = not given.
ALTER TABLE participants ADD COLUMN identity_code_encrypted text NOT NULL DEFAULT '';
ALTER TABLE participants ADD COLUMN language text NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en'));
ALTER TABLE participants ADD COLUMN employment_start_date date;

-- The organiser as employer. 1710 is the 2026 average TyEL employer share
-- (PAYROLL.md); the real rate is on the insurer's invoice.
ALTER TABLE organizations ADD COLUMN pension_insurer text NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN pension_policy_number text NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN employer_pension_bps bigint NOT NULL DEFAULT 1710 CHECK (employer_pension_bps BETWEEN 0 AND 10000);
ALTER TABLE organizations ADD COLUMN accident_insurance_bps bigint NOT NULL DEFAULT 0 CHECK (accident_insurance_bps BETWEEN 0 AND 10000);

-- Journal accounts of payroll (a common Finnish chart of accounts).
ALTER TABLE tenants ADD COLUMN account_wages text NOT NULL DEFAULT '5000';
ALTER TABLE tenants ADD COLUMN account_social_costs text NOT NULL DEFAULT '6100';
ALTER TABLE tenants ADD COLUMN account_withholding_payable text NOT NULL DEFAULT '2930';
ALTER TABLE tenants ADD COLUMN account_social_security_payable text NOT NULL DEFAULT '2931';
ALTER TABLE tenants ADD COLUMN account_pension_payable text NOT NULL DEFAULT '2935';
ALTER TABLE tenants ADD COLUMN account_unemployment_payable text NOT NULL DEFAULT '2936';
ALTER TABLE tenants ADD COLUMN account_accident_insurance_payable text NOT NULL DEFAULT '2937';
ALTER TABLE tenants ADD COLUMN account_holiday_liability text NOT NULL DEFAULT '2950';
ALTER TABLE tenants ADD COLUMN account_net_wages_payable text NOT NULL DEFAULT '2940';

-- A payout's payroll lines. period is its pay period, payment_date the
-- day it is paid (the run's date). wage_cents is the time-rate pay part of
-- gross (income type 201), the rest a työosuusraha.
ALTER TABLE payouts ADD COLUMN period text;
ALTER TABLE payouts ADD COLUMN payment_date date;
ALTER TABLE payouts ADD COLUMN wage_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN tax_free_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN holiday_accrued_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN holiday_compensation_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN pension_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN unemployment_insurance_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN employer_pension_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN employer_unemployment_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN employer_health_insurance_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN employer_accident_insurance_cents bigint NOT NULL DEFAULT 0;
ALTER TABLE payouts ADD COLUMN employer_cost_cents bigint NOT NULL DEFAULT 0;
-- Earlier payouts: wages were the gross of hourly-wage payouts, which had no
-- taxable allowance; their pay period and payment date are their run's (a
-- credit note's: the credited invoice's run and the note's date).
UPDATE payouts SET wage_cents = gross_cents WHERE taxable_cents = 0 AND withholding_cents <> 0;
UPDATE payouts SET tax_free_cents = gross_cents - taxable_cents - wage_cents;
UPDATE payouts SET period = r.period, payment_date = r.created_at::date FROM billing_runs r WHERE r.id = payouts.billing_run_id;
UPDATE payouts SET period = r.period, payment_date = n.invoice_date
    FROM invoices n JOIN invoices o ON o.id = n.credits_invoice_id JOIN billing_runs r ON r.id = o.billing_run_id
    WHERE n.id = payouts.invoice_id;
ALTER TABLE payouts ALTER COLUMN period SET NOT NULL;
ALTER TABLE payouts ALTER COLUMN payment_date SET NOT NULL;
ALTER TABLE payouts DROP CONSTRAINT payouts_check;
ALTER TABLE payouts ADD CONSTRAINT payouts_net CHECK (net_cents = gross_cents + holiday_compensation_cents
    - withholding_cents - pension_cents - unemployment_insurance_cents);
ALTER TABLE payouts ADD CONSTRAINT payouts_allowance CHECK (gross_cents = wage_cents + tax_free_cents + taxable_cents);
-- The year's earlier payouts of a participant, read once per run.
CREATE INDEX payouts_participant_year ON payouts (tenant_id, participant_id, payment_date);

-- +goose Down
DROP INDEX payouts_participant_year;
ALTER TABLE payouts DROP CONSTRAINT payouts_allowance;
ALTER TABLE payouts DROP CONSTRAINT payouts_net;
ALTER TABLE payouts ADD CONSTRAINT payouts_check CHECK (net_cents = gross_cents - withholding_cents);
ALTER TABLE payouts DROP COLUMN employer_cost_cents, DROP COLUMN employer_accident_insurance_cents,
    DROP COLUMN employer_health_insurance_cents, DROP COLUMN employer_unemployment_cents, DROP COLUMN employer_pension_cents,
    DROP COLUMN unemployment_insurance_cents, DROP COLUMN pension_cents, DROP COLUMN holiday_compensation_cents,
    DROP COLUMN holiday_accrued_cents, DROP COLUMN tax_free_cents, DROP COLUMN wage_cents, DROP COLUMN payment_date, DROP COLUMN period;
ALTER TABLE tenants DROP COLUMN account_net_wages_payable, DROP COLUMN account_holiday_liability,
    DROP COLUMN account_accident_insurance_payable, DROP COLUMN account_unemployment_payable, DROP COLUMN account_pension_payable,
    DROP COLUMN account_social_security_payable, DROP COLUMN account_withholding_payable, DROP COLUMN account_social_costs,
    DROP COLUMN account_wages;
ALTER TABLE organizations DROP COLUMN accident_insurance_bps, DROP COLUMN employer_pension_bps,
    DROP COLUMN pension_policy_number, DROP COLUMN pension_insurer;
ALTER TABLE participants DROP COLUMN employment_start_date, DROP COLUMN language, DROP COLUMN identity_code_encrypted;
DROP TABLE tax_cards;
DROP TABLE payroll_rates;
