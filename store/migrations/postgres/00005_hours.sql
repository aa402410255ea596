-- +goose Up
-- The timesheet of a shift: recorded (draft) -> submitted -> approved or
-- disputed -> corrected and submitted again. Attendance and billing consent
-- are separate facts.
ALTER TABLE shifts ADD COLUMN timesheet_status text
    CHECK (timesheet_status IN ('draft', 'submitted', 'approved', 'disputed'));
ALTER TABLE shifts ADD COLUMN timesheet_submitted_at timestamptz;
ALTER TABLE shifts ADD COLUMN timesheet_approved_at timestamptz;
ALTER TABLE shifts ADD COLUMN timesheet_auto_approved boolean NOT NULL DEFAULT false;
ALTER TABLE shifts ADD COLUMN dispute_reason text NOT NULL DEFAULT '';
-- The run and invoice that billed this shift's late-cancellation fee.
ALTER TABLE shifts ADD COLUMN late_fee_billing_run_id text;
ALTER TABLE shifts ADD COLUMN late_fee_invoice_id text;
CREATE INDEX shifts_timesheet ON shifts (tenant_id, timesheet_status, timesheet_submitted_at);

-- What really happened, per assignment: worked time or an absence.
CREATE TABLE time_entries (
    id             text PRIMARY KEY,
    tenant_id      text NOT NULL REFERENCES tenants(id),
    shift_id       text NOT NULL REFERENCES shifts(id),
    assignment_id  text NOT NULL REFERENCES assignments(id),
    start_at       timestamptz,
    end_at         timestamptz,
    break_minutes  integer NOT NULL DEFAULT 0 CHECK (break_minutes >= 0),
    absence        text CHECK (absence IN ('sick', 'no_show', 'other')),
    note           text NOT NULL DEFAULT '',
    worked_minutes integer NOT NULL DEFAULT 0 CHECK (worked_minutes >= 0),
    -- Set by the billing run; a billed entry is locked until a credit note
    -- frees it. Its invoice is the run's invoice of the shift's customer.
    billing_run_id text,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT time_entries_assignment UNIQUE (assignment_id),
    CHECK ((absence IS NULL) = (start_at IS NOT NULL AND end_at IS NOT NULL)),
    CHECK (end_at IS NULL OR end_at > start_at)
);
CREATE INDEX time_entries_shift ON time_entries (shift_id);
CREATE INDEX time_entries_unbilled ON time_entries (tenant_id, shift_id) WHERE billing_run_id IS NULL;

-- The audit trail of a shift's hours: who did what when.
CREATE TABLE shift_events (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id),
    shift_id   text NOT NULL REFERENCES shifts(id),
    at         timestamptz NOT NULL,
    user_id    text REFERENCES users(id),
    action     text NOT NULL,
    detail     text NOT NULL DEFAULT ''
);
CREATE INDEX shift_events_shift ON shift_events (shift_id, at);

-- What waits for someone, found by the daily reminders job: hours not
-- recorded after a shift ended (to the organiser's supervisors), a submitted
-- timesheet not answered (to the customer). One row per shift and kind.
CREATE TABLE reminders (
    id         text PRIMARY KEY,
    tenant_id  text NOT NULL REFERENCES tenants(id),
    shift_id   text NOT NULL REFERENCES shifts(id),
    kind       text NOT NULL CHECK (kind IN ('hours_missing', 'approval_waiting')),
    created_at timestamptz NOT NULL,
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
