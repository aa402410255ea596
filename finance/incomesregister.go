package finance

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"iter"
	"strconv"
	"strings"
	"time"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/finance/export"
	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/store"
)

// Incomes Register (tulorekisteri) earnings payment reports. A delivery is
// one billing run × organiser with wages: one payment date (the run's),
// one report per wage earner. A credit note changes the income of the
// payment date it credits, so its negative payouts are added to the report
// of the credited run (a replacement report for the same payment date, as
// the correction guide asks: vero.fi/tulorekisteri … palkkatietojen
// korjaaminen … korvaava ilmoitus). A balance carried into a later payout
// moves money only, not income, and changes no report.

// IRDelivery is one run × organiser with wages and its reporting state.
type IRDelivery struct {
	ID           string
	TenantID     string
	BillingRunID string
	OrganiserID  string
	PaymentDate  models.Date
	ExportCount  int
	ExportedAt   *time.Time
	// RecordedCorrections are the corrections the recorded reports
	// include (correctionsOf).
	RecordedCorrections string
	DeliveredAt         *time.Time
	CreatedAt           time.Time
}

// TableName of IRDelivery.
func (IRDelivery) TableName() string { return "ir_deliveries" }

// IRDeliveryStatus is a delivery as the deadline view shows it.
type IRDeliveryStatus struct {
	IRDelivery
	Period             string
	OrganiserName      string
	DueDate            models.Date
	Overdue            bool
	ReplacementPending bool
}

// IRDueDate is the last day to report wages paid on payment: five calendar
// days later, moved to the next business day when that is a Saturday,
// Sunday or holiday (vero.fi/en/incomes-register/companies-and-organisations/
// deadlines-for-reporting; Act 150/1930 on calculating statutory time
// limits names the same closing days as the banking calendar: public
// holidays, Independence Day, May Day, Christmas and Midsummer Eve).
func IRDueDate(payment models.Date) models.Date {
	d := payment.AddDays(5)
	if !BankingDay(d) {
		d = NextBankingDay(d)
	}
	return d
}

// irDueSoonDays is how many days before the due date finance is reminded.
const irDueSoonDays = 2

// wageEarnerRun marks a run payout with wages: time-rate pay or holiday
// compensation. Työosuusraha is not reported by the organiser (DOMAIN.md).
const wageEarnerRun = `po.billing_run_id IS NOT NULL AND (po.wage_cents <> 0 OR po.holiday_compensation_cents <> 0)`

// syncDeliveries creates the missing delivery of every run × organiser of
// the tenant with wages, of one run when runID is set.
func (s *Service) syncDeliveries(ctx context.Context, tenantID, runID string) error {
	var missing []struct {
		BillingRunID, OrganiserID string
		PaymentDate               models.Date
	}
	db := s.DB.Gorm.WithContext(ctx)
	q := db.Table("payouts po").Select("po.billing_run_id, po.organiser_id, MIN(po.payment_date) AS payment_date").
		Where("po.tenant_id = ? AND "+wageEarnerRun+` AND NOT EXISTS (SELECT 1 FROM ir_deliveries d
			WHERE d.billing_run_id = po.billing_run_id AND d.organiser_id = po.organiser_id)`, tenantID)
	if runID != "" {
		q = q.Where("po.billing_run_id = ?", runID)
	}
	if err := q.Group("po.billing_run_id, po.organiser_id").Scan(&missing).Error; err != nil {
		return fmt.Errorf("runs with wages: %w", err)
	}
	now := s.Clock.Now()
	for _, m := range missing {
		if err := db.Exec(`INSERT INTO ir_deliveries (id, tenant_id, billing_run_id, organiser_id, payment_date, created_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`, store.NewID(), tenantID, m.BillingRunID, m.OrganiserID, m.PaymentDate, now).Error; err != nil {
			return fmt.Errorf("incomes register delivery: %w", err)
		}
	}
	return nil
}

// reportRow is one earner's report as recordExport noted it for the file
// being written: the file says exactly what was recorded.
type reportRow struct {
	ParticipantID, SealedCode, ReportID, Exported, Delivered string
}

// Report content (ir_reports.exported and .delivered) lists each income
// type of the report with its amount in cents, "201:8100;234:0;…", in the
// order of contentCodes (earnerContent writes it).
var contentCodes = [...]int{201, 234, 402, 413, 414}

// transactions parses a report's content into its income types: every one
// with an amount; a report without holiday compensation keeps its
// time-rate pay even at 0.00 (fully credited).
func transactions(content string, buf []export.WageTransaction) ([]export.WageTransaction, error) {
	var amounts [len(contentCodes)]models.Cents
	parts := strings.Split(content, ";")
	if len(parts) != len(contentCodes) {
		return nil, fmt.Errorf("report content %q: want %d income types", content, len(contentCodes))
	}
	for i, part := range parts {
		code, amount, ok := strings.Cut(part, ":")
		cents, err := strconv.ParseInt(amount, 10, 64)
		if !ok || code != strconv.Itoa(contentCodes[i]) || err != nil {
			return nil, fmt.Errorf("report content %q: income type %d", content, contentCodes[i])
		}
		amounts[i] = models.Cents(cents)
	}
	const wage, holiday = 0, 1
	buf = buf[:0]
	for i, code := range contentCodes {
		if amounts[i] != 0 || (i == wage && amounts[holiday] == 0) {
			buf = append(buf, export.WageTransaction{Code: code, Amount: amounts[i]})
		}
	}
	return buf, nil
}

// earnersCTE aggregates the wage earners of a delivery once, in one pass
// over its payouts: the run's payouts and the payouts of the credit notes
// that correct the run, summed per earner (earnerContent is what the
// report says). The arguments are earnerArgs.
const earnersCTE = `WITH earners AS (SELECT po.participant_id,
		SUM(po.wage_cents) AS wage, SUM(po.holiday_compensation_cents) AS holiday, SUM(po.withholding_cents) AS withholding,
		SUM(po.pension_cents) AS pension, SUM(po.unemployment_insurance_cents) AS unemployment
	FROM payouts po
	WHERE po.tenant_id = ? AND po.organiser_id = ? AND (po.billing_run_id = ? OR po.invoice_id IN ` + creditNotesOfRun + `)
	GROUP BY po.participant_id
	HAVING SUM(CASE WHEN ` + wageEarnerRun + ` THEN 1 ELSE 0 END) > 0) `

// creditNotesOfRun selects the credit notes of the invoices of a run (the
// argument).
const creditNotesOfRun = `(SELECT n.id FROM invoices n JOIN invoices o ON o.id = n.credits_invoice_id WHERE o.billing_run_id = ?)`

// earnerContent is the content of the report of the earners row e.
const earnerContent = `'201:' || e.wage || ';234:' || e.holiday || ';402:' || e.withholding || ';413:' || e.pension || ';414:' || e.unemployment`

func earnerArgs(d IRDelivery) []any {
	return []any{d.TenantID, d.OrganiserID, d.BillingRunID, d.BillingRunID}
}

// reports streams the reports of d as recorded for its latest file, in
// participant order.
func (s *Service) reports(ctx context.Context, d IRDelivery) iter.Seq2[*reportRow, error] {
	scan := func(rs *sql.Rows, r *reportRow) error {
		if err := rs.Scan(&r.ParticipantID, &r.SealedCode, &r.ReportID, &r.Exported, &r.Delivered); err != nil {
			return fmt.Errorf("read report: %w", err)
		}
		return nil
	}
	return rows(ctx, s.DB.Gorm, scan, `SELECT r.participant_id, pt.identity_code_encrypted, r.report_id, r.exported, r.delivered
		FROM ir_reports r JOIN participants pt ON pt.id = r.participant_id
		WHERE r.delivery_id = ? ORDER BY r.participant_id`, d.ID)
}

// reportIDPrefix starts the payer's report references of a delivery:
// "JC", the payment date and a digest of the delivery. A report id is the
// prefix and the earner's number in the delivery, given at the first file
// that has the earner: the same in every file, unique per payer, at most
// 40 characters of 0-9, a-z, A-Z, _ and -, and computed in SQL on both
// databases.
func reportIDPrefix(d IRDelivery) string {
	sum := sha256.Sum256([]byte(d.ID))
	return "JC" + strings.ReplaceAll(d.PaymentDate.String(), "-", "") + "-" + hex.EncodeToString(sum[:8]) + "-"
}

// IncomesRegisterXML prepares the earnings payment reports of one run's
// wages paid by one organiser (WageReportsRequestToIR): the report of an
// earner already in a delivered file is a replacement with the same report
// id, any other a new report.
func (s *Service) IncomesRegisterXML(ctx context.Context, p auth.Principal, runID, organiserID, route string) (File, error) {
	run, org, _, err := s.payoutBatch(ctx, p, runID, organiserID)
	if err != nil {
		return File{}, err
	}
	if err := s.syncDeliveries(ctx, p.TenantID, run.ID); err != nil {
		return File{}, err
	}
	var d IRDelivery
	err = s.DB.Gorm.WithContext(ctx).Where("tenant_id = ? AND billing_run_id = ? AND organiser_id = ?", p.TenantID, run.ID, org.ID).Take(&d).Error
	if errors.Is(err, gorm.ErrRecordNotFound) {
		return File{}, fmt.Errorf("the billing run has no wages paid by this organiser, so there is nothing to report to the Incomes Register: %w", models.ErrNotFound)
	} else if err != nil {
		return File{}, fmt.Errorf("incomes register delivery: %w", err)
	}
	if err := employerReady(org); err != nil {
		return File{}, err
	}
	if err := s.identityCodesPresent(ctx, d); err != nil {
		return File{}, err
	}
	var tenant models.Tenant
	if err := s.DB.Gorm.WithContext(ctx).Where("id = ?", p.TenantID).Take(&tenant).Error; err != nil {
		return File{}, fmt.Errorf("tenant: %w", err)
	}
	if err := s.recordExport(ctx, &d); err != nil {
		return File{}, err
	}
	if err := s.logExport(ctx, p, route, `SELECT participant_id AS id FROM ir_reports WHERE delivery_id = ?`, d.ID); err != nil {
		return File{}, err
	}
	per, err := models.ParsePeriod(run.Period)
	if err != nil {
		return File{}, fmt.Errorf("run period: %w", err)
	}
	// The job center creates and sends the file for the organiser when it
	// has a business ID of its own; the organiser owns it as the payer.
	sender := org.BusinessID
	if models.ValidBusinessID(tenant.BusinessID) {
		sender = tenant.BusinessID
	}
	sum := sha256.Sum256([]byte(d.ID))
	delivery := export.WageDelivery{
		Timestamp:    s.Clock.Now().In(s.Loc),
		Source:       "jobcenter",
		DeliveryID:   fmt.Sprintf("JC-%s-%d", hex.EncodeToString(sum[:8]), d.ExportCount),
		Production:   !s.IncomesRegisterTest,
		Owner:        org.BusinessID,
		Creator:      sender,
		Sender:       sender,
		PaymentDate:  d.PaymentDate,
		PeriodStart:  per.FirstDay(),
		PeriodEnd:    per.LastDay(),
		ContactName:  org.ContactName,
		ContactPhone: org.ContactPhone,
		ContactEmail: org.ContactEmail,
		PayerName:    org.Name,
	}
	return File{
		Name:        fmt.Sprintf("incomes-register-%s-%s-%d.xml", runLabel(run), slug(org.Name), d.ExportCount),
		ContentType: ContentTypeXML,
		Write: func(w io.Writer) error {
			var rep export.WageReport
			reports := func(yield func(*export.WageReport, error) bool) {
				for r, err := range s.reports(ctx, d) {
					if err == nil {
						rep.IdentityCode, err = s.Participants.OpenIdentityCode(p.TenantID, r.ParticipantID, r.SealedCode)
					}
					if err == nil {
						rep.Transactions, err = transactions(r.Exported, rep.Transactions)
					}
					if err != nil {
						yield(nil, err)
						return
					}
					rep.ActionCode, rep.ReportID = export.ActionNew, r.ReportID
					rep.PensionProvider, rep.PolicyNumber = org.PensionInsurer, org.PensionPolicyNumber
					if r.Delivered != "" {
						rep.ActionCode = export.ActionReplacement
					}
					if !yield(&rep, nil) {
						return
					}
				}
			}
			return export.WriteWageReports(w, delivery, reports)
		},
	}, nil
}

// employerReady answers 409 naming what the organiser lacks for a report.
func employerReady(org models.Organization) error {
	var missing []string
	if !models.ValidBusinessID(org.BusinessID) {
		missing = append(missing, "business_id")
	}
	if !models.ValidPensionProvider(org.PensionInsurer) {
		missing = append(missing, "pension_insurer (the pension provider code)")
	}
	if !models.ValidPensionPolicyNumber(org.PensionPolicyNumber) {
		missing = append(missing, "pension_policy_number")
	}
	if strings.TrimSpace(org.ContactName) == "" || strings.TrimSpace(org.ContactPhone) == "" {
		missing = append(missing, "contact_name and contact_phone (the contact person)")
	}
	if len(missing) > 0 {
		return models.Conflict("organiser_employer_data_missing",
			"the organiser lacks what the Incomes Register requires of a payer; set on the organization: "+strings.Join(missing, ", "))
	}
	return nil
}

// maxNamed bounds the participants a 409 names.
const maxNamed = 20

// identityCodesPresent answers 409 naming the wage earners without a
// personal identity code: the Incomes Register cannot take their reports.
// The earners of a delivery are the participants with wages in its run's
// payouts (earnersCTE), so the run's payouts alone tell.
func (s *Service) identityCodesPresent(ctx context.Context, d IRDelivery) error {
	var names []string
	more := 0
	type unnamed struct{ ParticipantID, Pseudonym string }
	scan := func(rs *sql.Rows, r *unnamed) error { return rs.Scan(&r.ParticipantID, &r.Pseudonym) }
	for r, err := range rows(ctx, s.DB.Gorm, scan, `SELECT DISTINCT po.participant_id, pt.pseudonym
		FROM payouts po JOIN participants pt ON pt.id = po.participant_id
		WHERE po.tenant_id = ? AND po.organiser_id = ? AND po.billing_run_id = ? AND `+wageEarnerRun+`
			AND pt.identity_code_encrypted = '' ORDER BY po.participant_id`, d.TenantID, d.OrganiserID, d.BillingRunID) {
		if err != nil {
			return fmt.Errorf("wage earners without an identity code: %w", err)
		}
		if len(names) < maxNamed {
			names = append(names, r.ParticipantID+" ("+r.Pseudonym+")")
		} else {
			more++
		}
	}
	if len(names) == 0 {
		return nil
	}
	detail := "these wage earners have no personal identity code; add it to each participant before exporting: " + strings.Join(names, ", ")
	if more > 0 {
		detail += fmt.Sprintf(" and %d more", more)
	}
	return models.Conflict("identity_code_missing", detail)
}

// recordExport numbers the file and notes each earner's report as it is in
// this file, set-based, writing only what changed: one UPDATE for the
// reports whose content changed since the last file, one INSERT for new
// ones with their report ids, so any number of earners fits in memory. (An upsert would lock, and so write, every
// existing report on every export.) A report changes only when a credit
// note adds payouts, so while the corrections are the recorded ones the
// recorded reports stand as they are.
func (s *Service) recordExport(ctx context.Context, d *IRDelivery) error {
	return s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		now := s.Clock.Now()
		corrections, err := correctionsOf(tx, *d)
		if err != nil {
			return err
		}
		recorded := d.ExportCount > 0 && corrections == d.RecordedCorrections
		if err := tx.Exec(`UPDATE ir_deliveries SET export_count = export_count + 1, exported_at = ?, recorded_corrections = ? WHERE id = ?`,
			now, corrections, d.ID).Error; err != nil {
			return fmt.Errorf("number the delivery: %w", err)
		}
		d.ExportCount++
		d.ExportedAt, d.RecordedCorrections = &now, corrections
		if recorded {
			return nil
		}
		if err := tx.Exec(earnersCTE+`UPDATE ir_reports SET exported = `+earnerContent+` FROM earners e
			WHERE ir_reports.delivery_id = ? AND ir_reports.participant_id = e.participant_id
				AND ir_reports.exported <> `+earnerContent, append(earnerArgs(*d), d.ID)...).Error; err != nil {
			return fmt.Errorf("record changed reports: %w", err)
		}
		if err := tx.Exec(`INSERT INTO ir_reports (delivery_id, participant_id, report_id, exported) `+earnersCTE+
			`SELECT ?, e.participant_id, ? || ((SELECT COUNT(*) FROM ir_reports WHERE delivery_id = ?) + row_number() OVER (ORDER BY e.participant_id)),
				`+earnerContent+` FROM earners e
			WHERE NOT EXISTS (SELECT 1 FROM ir_reports r WHERE r.delivery_id = ? AND r.participant_id = e.participant_id)`,
			append(earnerArgs(*d), d.ID, reportIDPrefix(*d), d.ID, d.ID)...).Error; err != nil {
			return fmt.Errorf("record new reports: %w", err)
		}
		return nil
	})
}

// correctionsOf identifies the credit-note payouts that correct d's reports
// as "count:last payout id": payouts are only ever added, so the same
// value means the same corrections.
func correctionsOf(tx *gorm.DB, d IRDelivery) (string, error) {
	var c struct {
		N    int
		Last string
	}
	if err := tx.Raw(`SELECT COUNT(*) AS n, COALESCE(MAX(po.id), '') AS last FROM payouts po
		WHERE po.tenant_id = ? AND po.organiser_id = ? AND po.invoice_id IN `+creditNotesOfRun,
		d.TenantID, d.OrganiserID, d.BillingRunID).Scan(&c).Error; err != nil {
		return "", fmt.Errorf("corrections of the reports: %w", err)
	}
	return fmt.Sprintf("%d:%s", c.N, c.Last), nil
}

// IRDeliveries lists the tenant's deliveries, latest payment date first,
// with due dates and whether a delivered one awaits a replacement.
func (s *Service) IRDeliveries(ctx context.Context, p auth.Principal, runID string, limit int, cursor string) (store.Page[IRDeliveryStatus], error) {
	if err := financeOnly(p); err != nil {
		return store.Page[IRDeliveryStatus]{}, err
	}
	if err := s.syncDeliveries(ctx, p.TenantID, runID); err != nil {
		return store.Page[IRDeliveryStatus]{}, err
	}
	db := s.DB.Gorm.WithContext(ctx)
	q := db.Table("ir_deliveries d").
		Joins("JOIN billing_runs r ON r.id = d.billing_run_id").Joins("JOIN organizations o ON o.id = d.organiser_id").
		Where("d.tenant_id = ?", p.TenantID).Select("d.*, r.period, o.name AS organiser_name")
	if runID != "" {
		q = q.Where("d.billing_run_id = ?", runID)
	}
	page, err := store.ListByTime(q, irDeliveriesNewestFirst, limit, cursor, func(rows *sql.Rows) (IRDeliveryStatus, error) {
		var st IRDeliveryStatus
		return st, db.ScanRows(rows, &st)
	})
	if err != nil {
		return page, fmt.Errorf("incomes register deliveries: %w", err)
	}
	for i := range page.Items {
		if err := s.status(ctx, &page.Items[i]); err != nil {
			return page, err
		}
	}
	return page, nil
}

// irDeliveriesNewestFirst orders the deadline view: the latest run's
// deliveries first.
var irDeliveriesNewestFirst = store.TimeOrder{List: "ir_deliveries", Time: "d.created_at", ID: "d.id", Desc: true}

// GetID and SortTime let the deliveries be paged in their order.
func (d IRDelivery) GetID() string { return d.ID }

// SortTime is when the delivery was created with its run.
func (d IRDelivery) SortTime() time.Time { return d.CreatedAt }

// status fills the due date, overdue and replacement_pending of st.
func (s *Service) status(ctx context.Context, st *IRDeliveryStatus) error {
	today := models.DateOf(s.Clock.Now(), s.Loc)
	st.DueDate = IRDueDate(st.PaymentDate)
	st.Overdue = st.DeliveredAt == nil && today.After(st.DueDate)
	if st.DeliveredAt == nil {
		return nil
	}
	var changed int
	if err := s.DB.Gorm.WithContext(ctx).Raw(earnersCTE+`SELECT COUNT(*) FROM earners e
		LEFT JOIN ir_reports r ON r.delivery_id = ? AND r.participant_id = e.participant_id
		WHERE `+earnerContent+` <> COALESCE(r.delivered, '')`, append(earnerArgs(st.IRDelivery), st.ID)...).Scan(&changed).Error; err != nil {
		return fmt.Errorf("reports changed since delivery: %w", err)
	}
	st.ReplacementPending = changed > 0
	return nil
}

// MarkIRDelivered records that the last exported file of a delivery was
// sent to the Incomes Register at deliveredAt: its reports now count as
// reported, so the next file replaces them.
func (s *Service) MarkIRDelivered(ctx context.Context, p auth.Principal, id string, deliveredAt time.Time) (IRDeliveryStatus, error) {
	var st IRDeliveryStatus
	if err := financeOnly(p); err != nil {
		return st, err
	}
	if deliveredAt.After(s.Clock.Now()) {
		v := &models.ValidationError{}
		v.Add("/delivered_at", "cannot be in the future")
		return st, v
	}
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var d IRDelivery
		if err := tx.Where("tenant_id = ? AND id = ?", p.TenantID, id).Take(&d).Error; err != nil {
			return store.NotFound(err, "incomes register delivery")
		}
		if d.ExportedAt == nil {
			return models.Conflict("not_exported", "export the Incomes Register file of this delivery before recording that it was sent")
		}
		if deliveredAt.Before(*d.ExportedAt) {
			v := &models.ValidationError{}
			v.Add("/delivered_at", "cannot be before the file was exported")
			return v
		}
		if err := tx.Exec(`UPDATE ir_deliveries SET delivered_at = ? WHERE id = ?`, deliveredAt, d.ID).Error; err != nil {
			return fmt.Errorf("record delivery: %w", err)
		}
		if err := tx.Exec(`UPDATE ir_reports SET delivered = exported WHERE delivery_id = ?`, d.ID).Error; err != nil {
			return fmt.Errorf("record delivered reports: %w", err)
		}
		return nil
	})
	if err != nil {
		return st, err
	}
	if err := s.DB.Gorm.WithContext(ctx).Table("ir_deliveries d").
		Joins("JOIN billing_runs r ON r.id = d.billing_run_id").Joins("JOIN organizations o ON o.id = d.organiser_id").
		Where("d.id = ?", id).Select("d.*, r.period, o.name AS organiser_name").Take(&st).Error; err != nil {
		return st, fmt.Errorf("incomes register delivery: %w", err)
	}
	return st, s.status(ctx, &st)
}

// IRReminders are the undelivered deliveries due within two days or
// overdue, oldest first; a delivery drops out once recorded as sent.
func (s *Service) IRReminders(ctx context.Context, p auth.Principal, limit int, cursor string) (store.Page[IRDeliveryStatus], error) {
	if err := financeOnly(p); err != nil {
		return store.Page[IRDeliveryStatus]{}, err
	}
	due, err := s.dueDeliveries(ctx, p.TenantID)
	if err != nil {
		return store.Page[IRDeliveryStatus]{}, err
	}
	return store.PageSorted(due, store.TimeOrder{List: "ir_reminders"}, limit, cursor)
}

// CollectIRDue is the daily reminders job's part: for every tenant, each
// delivery due within two days or overdue and not yet sent becomes one
// incomes_register.due event (recorded once per delivery), which tells
// finance by e-mail and subscribed systems by webhook.
func (s *Service) CollectIRDue(ctx context.Context) error {
	var tenants []string
	if err := s.DB.Gorm.WithContext(ctx).Model(&models.Tenant{}).Pluck("id", &tenants).Error; err != nil {
		return fmt.Errorf("load tenants: %w", err)
	}
	for _, t := range tenants {
		due, err := s.dueDeliveries(ctx, t)
		if err != nil {
			return err
		}
		if len(due) == 0 {
			continue
		}
		if err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
			for _, d := range due {
				if err := notify.EmitIncomesRegisterDue(tx, s.Clock.Now(), t, notify.IncomesRegisterData{DeliveryID: d.ID,
					BillingRunID: d.BillingRunID, OrganiserID: d.OrganiserID, PaymentDate: d.PaymentDate, DueDate: d.DueDate}); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return fmt.Errorf("incomes register due, tenant %s: %w", t, err)
		}
	}
	return nil
}

// dueDeliveries are the tenant's deliveries not yet sent whose due date is
// within irDueSoonDays or past, in the order they were created.
func (s *Service) dueDeliveries(ctx context.Context, tenantID string) ([]IRDeliveryStatus, error) {
	if err := s.syncDeliveries(ctx, tenantID, ""); err != nil {
		return nil, err
	}
	today := models.DateOf(s.Clock.Now(), s.Loc)
	var open []IRDeliveryStatus
	if err := s.DB.Gorm.WithContext(ctx).Table("ir_deliveries d").
		Joins("JOIN billing_runs r ON r.id = d.billing_run_id").Joins("JOIN organizations o ON o.id = d.organiser_id").
		Where("d.tenant_id = ? AND d.delivered_at IS NULL", tenantID).
		Select("d.*, r.period, o.name AS organiser_name").Order("d.created_at, d.id").Scan(&open).Error; err != nil {
		return nil, fmt.Errorf("open incomes register deliveries: %w", err)
	}
	var due []IRDeliveryStatus
	for _, st := range open {
		st.DueDate = IRDueDate(st.PaymentDate)
		st.Overdue = today.After(st.DueDate)
		if !today.AddDays(irDueSoonDays).Before(st.DueDate) {
			due = append(due, st)
		}
	}
	return due, nil
}
