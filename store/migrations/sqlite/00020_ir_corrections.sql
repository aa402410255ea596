-- +goose Up
-- The payouts of a credit note, found by their invoice: the Incomes
-- Register export sums a run's payouts with the payouts of the credit
-- notes that correct it, and without this index that OR read every payout
-- of every tenant.
CREATE INDEX payouts_invoice ON payouts (invoice_id) WHERE invoice_id IS NOT NULL;

-- The corrections (credit-note payouts) a delivery's recorded reports
-- include, as "count:last payout id": a report's content changes only
-- when a credit note adds payouts, so an export whose corrections are the
-- recorded ones writes the recorded reports without summing them again.
ALTER TABLE ir_deliveries ADD COLUMN recorded_corrections TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE ir_deliveries DROP COLUMN recorded_corrections;
DROP INDEX payouts_invoice;
