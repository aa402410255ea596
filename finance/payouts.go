package finance

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"io"
	"iter"
	"strings"

	"jobcenter/auth"
	"jobcenter/finance/export"
	"jobcenter/models"
)

// payoutRow is one payout with its participant.
type payoutRow struct {
	ID, ParticipantID, Pseudonym, FirstName, LastName, IBAN string
	Days, Minutes                                           int64
	Gross, Withholding, Net, Taxable                        models.Cents
}

// payoutsOf selects one run's payouts of one organiser; the arguments are
// tenant, run and organiser. payouts_run (billing_run_id, organiser_id, id)
// serves it in id order.
const payoutsOf = `FROM payouts po JOIN participants pt ON pt.id = po.participant_id
	WHERE po.tenant_id = ? AND po.billing_run_id = ? AND po.organiser_id = ?`

// paidOnly limits payoutsOf to the rows a payment file pays: a zero payout
// (all withheld, or compensation "none") is no transfer.
const paidOnly = ` AND po.net_cents > 0`

// payoutRows streams the payouts in id order with their IBANs opened.
func (s *Service) payoutRows(ctx context.Context, tenantID, where string, args ...any) iter.Seq2[*payoutRow, error] {
	scan := func(rs *sql.Rows, r *payoutRow) error {
		var sealed string
		if err := rs.Scan(&r.ID, &r.ParticipantID, &r.Pseudonym, &r.FirstName, &r.LastName, &sealed,
			&r.Days, &r.Minutes, &r.Gross, &r.Withholding, &r.Net, &r.Taxable); err != nil {
			return fmt.Errorf("read payout: %w", err)
		}
		iban, err := s.Participants.OpenIBAN(tenantID, r.ParticipantID, sealed)
		if err != nil {
			return fmt.Errorf("payout %s: %w", r.ID, err)
		}
		r.IBAN = iban
		return nil
	}
	return rows(ctx, s.DB.Gorm, scan, `SELECT po.id, po.participant_id, pt.pseudonym, pt.first_name, pt.last_name, pt.iban_encrypted,
		po.days, po.minutes, po.gross_cents, po.withholding_cents, po.net_cents, po.taxable_cents `+where+` ORDER BY po.id`, args...)
}

// payoutBatch loads the run and organiser of a payout export and the
// arguments of payoutsOf.
func (s *Service) payoutBatch(ctx context.Context, p auth.Principal, runID, organiserID string) (models.BillingRun, models.Organization, []any, error) {
	run, err := s.prepare(ctx, p, runID, "/organiser_id", organiserID)
	if err != nil {
		return run, models.Organization{}, nil, err
	}
	org, err := s.organization(ctx, p, organiserID, models.KindOrganiser)
	if err != nil {
		return run, org, nil, err
	}
	return run, org, []any{p.TenantID, run.ID, org.ID}, nil
}

// Payment blocks of the payout file: wages (supported employment, holiday
// compensation included, also alone at the end of an employment) are
// salary payments, category purpose SALA (ISO 20022 ExternalCategoryPurpose1Code),
// which banks keep confidential on statements and may book apart; the
// työosuusraha is no wage and goes in a block of its own.
var payoutBlocks = []struct {
	suffix, purpose, where, remittance string
}{
	{"S", "SALA", `po.wage_cents + po.holiday_compensation_cents > 0`, "Palkka "},
	{"T", "", `po.wage_cents + po.holiday_compensation_cents <= 0`, "Työtoiminnan korvaus "},
}

// PayoutsXML prepares the SEPA credit transfer file (pain.001.001.09) of one
// run's payouts of one organiser: the organiser pays, from its IBAN, each
// participant's net amount to the participant's IBAN, wages in one payment
// block and työosuusraha in another. The debtor's BIC comes from the
// organiser's Finnish IBAN, and the organiser, who pays, is the initiating
// party by its business ID.
func (s *Service) PayoutsXML(ctx context.Context, p auth.Principal, runID, organiserID, route string) (File, error) {
	run, org, args, err := s.payoutBatch(ctx, p, runID, organiserID)
	if err != nil {
		return File{}, err
	}
	if !models.ValidIBAN(org.IBAN) {
		return File{}, models.Conflict("organiser_iban_missing", "the organiser has no valid IBAN to pay from; set it on the organization first")
	}
	now := s.Clock.Now().In(s.Loc)
	// A message id derived from run and organiser is the same in every
	// download of the same file, so a bank's duplicate check stops a file
	// uploaded twice instead of paying twice.
	sum := sha256.Sum256([]byte(run.ID + "/" + org.ID))
	msgID := "JC" + hex.EncodeToString(sum[:16])
	// Each block's header announces its count and sum before its streamed
	// rows: one aggregate counts and sums every block.
	totals := make([]struct {
		n   int
		sum models.Cents
	}, len(payoutBlocks))
	var cols []string
	var dest []any
	for i, b := range payoutBlocks {
		cols = append(cols, "COUNT(CASE WHEN "+b.where+" THEN 1 END)", "COALESCE(SUM(CASE WHEN "+b.where+" THEN po.net_cents END), 0)")
		dest = append(dest, &totals[i].n, &totals[i].sum)
	}
	if err := s.DB.Gorm.WithContext(ctx).Raw(`SELECT `+strings.Join(cols, ", ")+` `+payoutsOf+paidOnly, args...).Row().Scan(dest...); err != nil {
		return File{}, fmt.Errorf("payout totals: %w", err)
	}
	var blocks []export.PaymentBlock
	for i, b := range payoutBlocks {
		if totals[i].n == 0 {
			continue
		}
		query, remittance := payoutsOf+paidOnly+" AND "+b.where, b.remittance+run.Period
		blocks = append(blocks, export.PaymentBlock{PaymentInfoID: msgID[:34] + b.suffix, CategoryPurpose: b.purpose,
			Count: totals[i].n, ControlSum: totals[i].sum, Payments: s.payments(ctx, p.TenantID, query, remittance, args)})
	}
	if len(blocks) == 0 {
		return File{}, models.Conflict("nothing_to_pay", "the run has no payouts with a positive net amount for this organiser")
	}
	if err := s.logExport(ctx, p, route, `SELECT po.participant_id AS id `+payoutsOf+paidOnly, args...); err != nil {
		return File{}, err
	}
	batch := export.PaymentBatch{
		MessageID:         msgID,
		CreatedAt:         now,
		ExecutionDate:     localDate(NextBankingDay(models.DateOf(now, s.Loc)), s.Loc),
		DebtorName:        org.Name,
		DebtorIBAN:        org.IBAN,
		DebtorBIC:         models.FinnishBIC(org.IBAN),
		InitiatingPartyID: strings.ReplaceAll(org.BusinessID, "-", ""),
	}
	return File{
		Name:        fmt.Sprintf("payouts-%s-%s.xml", runLabel(run), slug(org.Name)),
		ContentType: ContentTypeXML,
		Write:       func(w io.Writer) error { return export.WritePain001Blocks(w, batch, blocks...) },
	}, nil
}

// payments streams the payouts query selects as credit transfers.
func (s *Service) payments(ctx context.Context, tenantID, query, remittance string, args []any) iter.Seq2[export.Payment, error] {
	return func(yield func(export.Payment, error) bool) {
		for r, err := range s.payoutRows(ctx, tenantID, query, args...) {
			if err != nil {
				yield(export.Payment{}, err)
				return
			}
			if !yield(export.Payment{
				EndToEndID:     endToEndID(r.ID),
				CreditorName:   r.FirstName + " " + r.LastName,
				CreditorIBAN:   r.IBAN,
				Amount:         r.Net,
				RemittanceInfo: remittance,
			}, nil) {
				return
			}
		}
	}
}

// endToEndID is the payout id without hyphens: 32 characters (the schema
// allows 35), the same in every file of the payout, so the bank statement's
// return of a transfer points back at the payout.
func endToEndID(payoutID string) string { return strings.ReplaceAll(payoutID, "-", "") }

// PayoutsCSV prepares the same payouts as CSV, zero payouts included, with
// the whole IBAN: finance exports are the one place it is shown.
func (s *Service) PayoutsCSV(ctx context.Context, p auth.Principal, runID, organiserID string, d export.Dialect, route string) (File, error) {
	run, org, args, err := s.payoutBatch(ctx, p, runID, organiserID)
	if err != nil {
		return File{}, err
	}
	if err := s.logExport(ctx, p, route, `SELECT po.participant_id AS id `+payoutsOf, args...); err != nil {
		return File{}, err
	}
	header := []string{"participant_id", "pseudonym", "first_name", "last_name", "iban", "days", "minutes",
		"gross_eur", "withholding_eur", "net_eur", "taxable_eur"}
	return File{
		Name:        fmt.Sprintf("payouts-%s-%s.csv", runLabel(run), slug(org.Name)),
		ContentType: ContentTypeCSV,
		Write: func(w io.Writer) error {
			return writeCSV(w, d, header, s.payoutRows(ctx, p.TenantID, payoutsOf, args...), func(r *payoutRow) []any {
				return []any{r.ParticipantID, r.Pseudonym, r.FirstName, r.LastName, r.IBAN, r.Days, r.Minutes,
					r.Gross, r.Withholding, r.Net, r.Taxable}
			})
		},
	}, nil
}
