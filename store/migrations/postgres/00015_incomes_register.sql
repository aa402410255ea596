-- +goose Up
-- Incomes Register (tulorekisteri) earnings payment reports: the organiser's
-- contact person for the deliveries, one delivery per billing run ×
-- organiser with wages, and one report per wage earner in it.

-- The contact person the Incomes Register asks about a delivery
-- (DeliveryData/ContactPersons: name and telephone required, e-mail optional).
ALTER TABLE organizations ADD COLUMN contact_name text NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_phone text NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_email text NOT NULL DEFAULT '';

-- payment_date is the run's payment date; the due date (payment date + 5
-- calendar days, next business day) is computed on reading, as the holiday
-- calendar is code. export_count numbers the files, so every DeliveryId is
-- unique. delivered_at is when finance recorded sending the last file.
CREATE TABLE ir_deliveries (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id),
    billing_run_id text NOT NULL REFERENCES billing_runs(id),
    organiser_id   text NOT NULL REFERENCES organizations(id),
    payment_date   date NOT NULL,
    export_count   integer NOT NULL DEFAULT 0 CHECK (export_count >= 0),
    exported_at    timestamptz,
    delivered_at   timestamptz,
    created_at     timestamptz NOT NULL,
    CONSTRAINT ir_deliveries_one_per_run UNIQUE (billing_run_id, organiser_id),
    CHECK (delivered_at IS NULL OR exported_at IS NOT NULL)
);
CREATE INDEX ir_deliveries_tenant ON ir_deliveries (tenant_id, payment_date, id);

-- One report per wage earner of a delivery. report_id is the payer's report
-- reference (ReportId), the same in every file, so that a later file
-- replaces the report. exported is the content of the last file,
-- delivered the content of the last file recorded as sent ('' = never):
-- a delivered report whose content changed awaits a replacement.
CREATE TABLE ir_reports (
    delivery_id    text NOT NULL REFERENCES ir_deliveries(id),
    participant_id text NOT NULL REFERENCES participants(id),
    report_id      text NOT NULL UNIQUE CHECK (length(report_id) BETWEEN 1 AND 40),
    exported       text NOT NULL,
    delivered      text NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, participant_id)
);

-- +goose Down
DROP TABLE ir_reports;
DROP TABLE ir_deliveries;
ALTER TABLE organizations DROP COLUMN contact_email, DROP COLUMN contact_phone, DROP COLUMN contact_name;
