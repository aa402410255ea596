// Package billing owns the monthly billing run and what it writes: runs,
// invoices and credit notes, organiser settlements, participant payouts and
// the double-entry journal.
//
//   - Run (run.go) marks the period's approved hours and late-cancellation
//     fees through staffing, aggregates them set-based in SQL, prices them
//     with Compute, numbers the invoices and writes everything in one
//     transaction per tenant; a dry run does the same and rolls back.
//   - Compute (compute.go) is pure: the groups in, the invoices, settlements,
//     payouts and journal out, so a dry run and a real run get the same
//     numbers. It calls package payroll for each payout's wage arithmetic;
//     payrollContext (payrollcontext.go) resolves what that needs (tax
//     cards, ages, the year's earlier pay) before Compute runs.
//   - CreditNote (credit.go) reverses an invoice wholly or by lines, reverses
//     the payouts of the freed hours and hands the hours back to staffing.
//   - Carried balances: a payout or settlement that a credit note reverses,
//     or that nets below zero, is carried into the owner's next run.
//   - Reads (read.go) page runs, invoices, settlements and payouts as each
//     role may see them.
//   - Dated settings: the standard VAT rate (vat.go) and the national
//     payroll rates (payrollrates.go), each valid from a date on.
//
// The files for the bank, the e-invoice operator and accounting are written
// by package finance from what billing stored.
package billing
