-- +goose Up
-- The seller's own e-invoice address and operator (the Finvoice
-- transmission frame's sender), the customer's own reference on an order
-- (its purchase order or cost centre; Finvoice RowIdentifier holds 35
-- characters) and the language of a customer's invoices.
ALTER TABLE tenants ADD COLUMN einvoice_address TEXT NOT NULL DEFAULT '';
ALTER TABLE tenants ADD COLUMN einvoice_operator TEXT NOT NULL DEFAULT '';
ALTER TABLE orders ADD COLUMN customer_reference TEXT NOT NULL DEFAULT '' CHECK (char_length(customer_reference) <= 35);
ALTER TABLE organizations ADD COLUMN language TEXT NOT NULL DEFAULT 'fi' CHECK (language IN ('fi', 'sv', 'en'));

-- +goose Down
ALTER TABLE organizations DROP COLUMN language;
ALTER TABLE orders DROP COLUMN customer_reference;
ALTER TABLE tenants DROP COLUMN einvoice_operator;
ALTER TABLE tenants DROP COLUMN einvoice_address;
