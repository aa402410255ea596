-- +goose Up
-- The timesheet of a shift: recorded (draft) -> submitted -> approved or
-- disputed -> corrected and submitted again. Attendance and billing consent
-- are separate facts.
ALTER TABLE shifts ADD COLUMN timesheet_status TEXT
    CHECK (timesheet_status IN ('draft', 'submitted', 'approved', 'disputed'));
ALTER TABLE shifts ADD COLUMN timesheet_submitted_at DATETIME;
ALTER TABLE shifts ADD COLUMN timesheet_approved_at DATETIME;
ALTER TABLE shifts ADD COLUMN timesheet_auto_approved BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE shifts ADD COLUMN dispute_reason TEXT NOT NULL DEFAULT '';
-- The run and invoice that billed this shift's late-cancellation fee.
ALTER TABLE shifts ADD COLUMN late_fee_billing_run_id TEXT;
ALTER TABLE shifts ADD COLUMN late_fee_invoice_id TEXT;
CREATE INDEX shifts_timesheet ON shifts (tenant_id, timesheet_status, timesheet_submitted_at);

-- What really happened, per assignment: worked time or an absence.
CREATE TABLE time_entries (
    id             TEXT PRIMARY KEY,
    tenant_id      TEXT NOT NULL REFERENCES tenants(id),
    shift_id       TEXT NOT NULL REFERENCES shifts(id),
    assignment_id  TEXT NOT NULL REFERENCES assignments(id),
    start_at       DATETIME,
    end_at         DATETIME,
    break_minutes  INTEGER NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    absence        TEXT CHECK (absence IN ('sick', 'no_show', 'other')),
    note           TEXT NOT NULL DEFAULT '',
    worked_minutes INTEGER NOT NULL DEFAULT 0 CHECK (worked_minutes >= 0),
    -- Set by the billing run; a billed entry is locked until a credit note
    -- frees it. Its invoice is the run's invoice of the shift's customer.
    billing_run_id TEXT,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL,
    CONSTRAINT time_entries_assignment UNIQUE (assignment_id),
    CHECK ((absence IS NULL) = (start_at IS NOT NULL AND end_at IS NOT NULL)),
    CHECK (end_at IS NULL OR end_at > start_at)
);
CREATE INDEX time_entries_shift ON time_entries (shift_id);
CREATE INDEX time_entries_unbilled ON time_entries (tenant_id, shift_id) WHERE billing_run_id IS NULL;

-- The audit trail of a shift's hours: who did what when.
CREATE TABLE shift_events (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    shift_id   TEXT NOT NULL REFERENCES shifts(id),
    at         DATETIME NOT NULL,
    user_id    TEXT REFERENCES users(id),
    action     TEXT NOT NULL,
    detail     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX shift_events_shift ON shift_events (shift_id, at);

-- What waits for someone, found by the daily reminders job: hours not
-- recorded after a shift ended (to the organiser's supervisors), a submitted
-- timesheet not answered (to the customer). One row per shift and kind.
CREATE TABLE reminders (
    id         TEXT PRIMARY KEY,
    tenant_id  TEXT NOT NULL REFERENCES tenants(id),
    shift_id   TEXT NOT NULL REFERENCES shifts(id),
    kind       TEXT NOT NULL CHECK (kind IN ('hours_missing', 'approval_waiting')),
    created_at DATETIME NOT NULL,
    CONSTRAINT reminders_shift_kind UNIQUE (shift_id, kind)
);
CREATE INDEX reminders_tenant ON reminders (tenant_id, kind);

-- +goose Down
DROP TABLE reminders;
DROP TABLE shift_events;
DROP TABLE time_entries;
DROP INDEX shifts_timesheet;
ALTER TABLE shifts DROP COLUMN late_fee_invoice_id;
ALTER TABLE shifts DROP COLUMN late_fee_billing_run_id;
ALTER TABLE shifts DROP COLUMN dispute_reason;
ALTER TABLE shifts DROP COLUMN timesheet_auto_approved;
ALTER TABLE shifts DROP COLUMN timesheet_approved_at;
ALTER TABLE shifts DROP COLUMN timesheet_submitted_at;
ALTER TABLE shifts DROP COLUMN timesheet_status;
