-- +goose Up
-- Incomes Register earnings payment reports; see the PostgreSQL migration.
ALTER TABLE organizations ADD COLUMN contact_name TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_phone TEXT NOT NULL DEFAULT '';
ALTER TABLE organizations ADD COLUMN contact_email TEXT NOT NULL DEFAULT '';

CREATE TABLE ir_deliveries (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    billing_run_id TEXT NOT NULL REFERENCES billing_runs(id),
    organiser_id   TEXT NOT NULL REFERENCES organizations(id),
    payment_date   DATE NOT NULL,
    export_count   INTEGER NOT NULL DEFAULT 0 CHECK (export_count >= 0),
    exported_at    DATETIME,
    delivered_at   DATETIME,
    created_at     DATETIME NOT NULL,
    UNIQUE (billing_run_id, organiser_id),
    CHECK (delivered_at IS NULL OR exported_at IS NOT NULL)
);
CREATE INDEX ir_deliveries_tenant ON ir_deliveries (tenant_id, payment_date, id);

CREATE TABLE ir_reports (
    delivery_id    TEXT NOT NULL REFERENCES ir_deliveries(id),
    participant_id TEXT NOT NULL REFERENCES participants(id),
    report_id      TEXT NOT NULL UNIQUE CHECK (length(report_id) BETWEEN 1 AND 40),
    exported       TEXT NOT NULL,
    delivered      TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (delivery_id, participant_id)
);

-- +goose Down
DROP TABLE ir_reports;
DROP TABLE ir_deliveries;
ALTER TABLE organizations DROP COLUMN contact_email;
ALTER TABLE organizations DROP COLUMN contact_phone;
ALTER TABLE organizations DROP COLUMN contact_name;
