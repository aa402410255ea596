-- +goose Up
-- As with payouts (00008): a settlement with something left to settle with
-- its organiser (a credit note's reversed share, or a run's settlement whose
-- amount to pay fell below zero) is carried into the organiser's settlement
-- of the next run. carried_cents is the part carried in; the amount to pay
-- is payable_cents + carried_cents. The journal is unaffected: each document
-- already posted its own share.
ALTER TABLE settlements ADD COLUMN carried_into TEXT REFERENCES settlements(id);
ALTER TABLE settlements ADD COLUMN carried_cents INTEGER NOT NULL DEFAULT 0;
CREATE INDEX settlements_open_balances ON settlements (tenant_id, organiser_id)
    WHERE carried_into IS NULL AND (invoice_id IS NOT NULL OR payable_cents + carried_cents < 0);

-- +goose Down
DROP INDEX settlements_open_balances;
ALTER TABLE settlements DROP COLUMN carried_cents;
ALTER TABLE settlements DROP COLUMN carried_into;
