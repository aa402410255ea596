package billing

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"gorm.io/gorm"

	"jobcenter/clock"
	"jobcenter/models"
	"jobcenter/notify"
	"jobcenter/payroll"
	"jobcenter/staffing"
	"jobcenter/store"
)

// Service runs billing: the API, the command line and the monthly cron job
// all call Run.
type Service struct {
	DB    *store.DB
	Clock clock.Clock
	Loc   *time.Location
	// OpenIdentityCode unseals a participant's personal identity code, whose
	// birth date decides the contributions (participants.Service's).
	OpenIdentityCode func(tenantID, participantID, sealed string) (string, error)
}

// RunRequest asks for one run.
type RunRequest struct {
	TenantID string
	Period   models.Period
	DryRun   bool
	UserID   *string // nil for the cron job
}

// Outcome is a run with everything it produced (for a dry run: would
// produce).
type Outcome struct {
	Run         models.BillingRun
	DryRun      bool
	Invoices    []StoredInvoice
	Settlements []models.Settlement
	Payouts     []models.Payout
	Journal     []models.JournalEntry
}

// StoredInvoice is an invoice with its lines and VAT breakdown.
type StoredInvoice struct {
	models.Invoice
	Lines []models.InvoiceLine
	Vat   []models.InvoiceVat
}

// errDryRun rolls the dry run's transaction back after the full computation.
var errDryRun = errors.New("dry run")

// Run bills every approved, not yet billed time entry and late-cancellation
// fee of shifts in the period, in one transaction: invoices per customer,
// settlements per organiser, payouts per participant and a balanced journal.
// Runs and credit notes of one tenant are serialised: a run started while
// another run or a credit note is in progress answers 409 run_in_progress at
// once; one started after a run sees its marks and bills only what is new.
// A dry run does the same work and rolls it back, so it consumes no invoice
// number and writes nothing.
func (s *Service) Run(ctx context.Context, req RunRequest) (Outcome, error) {
	if err := checkPeriodEnded(req.Period, req.DryRun, s.Clock.Now(), s.Loc); err != nil {
		return Outcome{}, err
	}
	var out Outcome
	busy := models.Conflict("run_in_progress", "another billing run or a credit note of this tenant is in progress; try again when it has finished")
	err := s.withBillingLock(ctx, req.TenantID, busy, func(tx *gorm.DB) error {
		if err := s.DB.WorkMem(tx, "256MB"); err != nil {
			return err
		}
		var err error
		out, err = s.run(tx, req)
		if err != nil {
			return err
		}
		if req.DryRun {
			return errDryRun
		}
		return nil
	})
	if errors.Is(err, errDryRun) {
		out.DryRun = true
		return out, nil
	}
	return out, err
}

func (s *Service) run(tx *gorm.DB, req RunRequest) (Outcome, error) {
	now := s.Clock.Now()
	today := models.DateOf(now, s.Loc)
	first, last := req.Period.FirstDay(), req.Period.LastDay()
	run := models.BillingRun{ID: store.NewID(), TenantID: req.TenantID, Period: req.Period.String(), Kind: models.RunRegular,
		CreatedBy: req.UserID, CreatedAt: now}
	var regular int64
	if err := tx.Model(&models.BillingRun{}).Where("tenant_id = ? AND period = ? AND kind = ?", req.TenantID, run.Period, models.RunRegular).
		Count(&regular).Error; err != nil {
		return Outcome{}, fmt.Errorf("billing run: %w", err)
	}
	if regular > 0 {
		run.Kind = models.RunSupplementary
	}
	if err := tx.Create(&run).Error; err != nil {
		return Outcome{}, fmt.Errorf("billing run: %w", err)
	}
	if err := staffing.MarkBilled(tx, req.TenantID, run.ID, first, last); err != nil {
		return Outcome{}, err
	}
	in, err := s.input(tx, req.TenantID, run.ID, req.Period, today)
	if err != nil {
		return Outcome{}, err
	}
	res, err := Compute(in)
	if err != nil {
		return Outcome{}, fmt.Errorf("compute billing run: %w", err)
	}
	out, err := s.write(tx, run, res, today)
	if err != nil {
		return Outcome{}, err
	}
	if err := checkJournal(tx, "billing_run_id", run.ID); err != nil {
		return Outcome{}, err
	}
	if !req.DryRun {
		if err := notify.EmitBillingRun(tx, now, out.Run); err != nil {
			return Outcome{}, err
		}
	}
	return out, nil
}

// payoutGroups aggregates present participant entries matching where per
// participant × decision valid on the shift date: the days with a present
// entry and the minutes worked. Only subcontracting agreements pay
// participants through the run; under customer_employs the customer pays
// the wages. Grouping per day first keeps the day count a plain COUNT.
func payoutGroups(where string) string {
	return `WITH days AS (
			SELECT a.participant_id, s.organiser_id, s.date, SUM(te.worked_minutes) AS minutes
			FROM time_entries te JOIN shifts s ON s.id = te.shift_id JOIN assignments a ON a.id = te.assignment_id ` + staffing.AgreementOnShiftDate + `
			WHERE te.absence IS NULL AND a.participant_id IS NOT NULL AND ag.employment_model = '` + models.EmploymentSubcontracting + `' AND ` + where + `
			GROUP BY a.participant_id, s.organiser_id, s.date)
		SELECT days.participant_id, days.organiser_id, COALESCE(d.compensation, 'none') AS compensation,
			COALESCE(d.daily_allowance_cents, 0) AS daily_allowance, COALESCE(d.hourly_wage_cents, 0) AS hourly_wage,
			COUNT(*) AS days, SUM(days.minutes) AS minutes
		FROM days LEFT JOIN service_decisions d ON d.participant_id = days.participant_id AND ` + store.ValidOn("d", "days.date") + `
		GROUP BY days.participant_id, days.organiser_id, d.id, d.compensation, d.daily_allowance_cents, d.hourly_wage_cents`
}

// endedEmployments are groups without work of the participants whose
// employment ended by the end of period and who have holiday compensation
// unpaid: the run pays it to them whether or not they worked in the period
// (VLL § 17), so the first run of the end month or a later one settles it.
func endedEmployments(tx *gorm.DB, tenantID string, period models.Period) ([]PayoutGroup, error) {
	var groups []PayoutGroup
	if err := tx.Raw(`SELECT p.id AS participant_id, p.organiser_id, '`+models.CompensationNone+`' AS compensation,
			0 AS daily_allowance, 0 AS hourly_wage, 0 AS days, 0 AS minutes
		FROM participants p JOIN payouts po ON po.tenant_id = p.tenant_id AND po.participant_id = p.id AND po.carried_into IS NULL
		WHERE p.tenant_id = ? AND p.employment_end_date <= ?
		GROUP BY p.id, p.organiser_id
		HAVING SUM(po.holiday_accrued_cents - po.holiday_compensation_cents) <> 0`, tenantID, period.LastDay()).Scan(&groups).Error; err != nil {
		return nil, fmt.Errorf("ended employments: %w", err)
	}
	return groups, nil
}

// vatOnShiftDate joins the standard VAT rate valid on the shift's date: VAT
// follows the day the work was done, not the invoice date. A day before
// every rate gets -1, which Compute refuses.
const vatOnShiftDate = `LEFT JOIN vat_rates vr ON vr.valid_from = (SELECT MAX(v.valid_from) FROM vat_rates v WHERE v.valid_from <= s.date)`

// input aggregates the run's marked rows set-based and loads the settings.
func (s *Service) input(tx *gorm.DB, tenantID, runID string, period models.Period, today models.Date) (Input, error) {
	// Every marked row needs the agreement valid on its shift's date; checked
	// per customer and day, which is far fewer rows than the entries.
	var unpriced int64
	if err := tx.Raw(`SELECT COUNT(*) FROM (SELECT DISTINCT s.tenant_id, s.customer_id, s.date FROM shifts s
			WHERE s.late_fee_billing_run_id = ? OR s.id IN (SELECT shift_id FROM time_entries WHERE billing_run_id = ?)) sd
		WHERE NOT EXISTS (SELECT 1 FROM agreements ag WHERE ag.tenant_id = sd.tenant_id AND ag.customer_id = sd.customer_id
			AND `+store.ValidOn("ag", "sd.date")+`)`,
		runID, runID).Scan(&unpriced).Error; err != nil {
		return Input{}, fmt.Errorf("check agreements: %w", err)
	}
	if unpriced > 0 {
		return Input{}, models.Conflict("no_agreement", fmt.Sprintf("approved hours on %d customer days have no agreement valid on their date; add the agreement, then run again", unpriced))
	}
	in := Input{Customers: map[string]Customer{}, Organisers: map[string]Organiser{}}
	// Billable minutes per present person per shift are at least the
	// agreement's minimum. Participant hours of customer_employs agreements
	// are not invoiced: the customer pays the wages itself.
	if err := tx.Raw(`SELECT s.customer_id, s.order_id, s.organiser_id,
			`+kindOfEntry+` AS kind, `+priceOfEntry+` AS unit_price,
			SUM(CASE WHEN te.worked_minutes > ag.minimum_billable_minutes THEN te.worked_minutes ELSE ag.minimum_billable_minutes END) AS minutes,
			0 AS count, COALESCE(vr.rate_bps, -1) AS vat_bps
		FROM time_entries te JOIN shifts s ON s.id = te.shift_id JOIN assignments a ON a.id = te.assignment_id `+staffing.AgreementOnShiftDate+` `+vatOnShiftDate+`
		WHERE te.billing_run_id = ? AND te.absence IS NULL
			AND NOT (a.participant_id IS NOT NULL AND ag.employment_model = '`+models.EmploymentCustomerEmploys+`')
		GROUP BY s.customer_id, s.order_id, s.organiser_id, `+kindOfEntry+`, `+priceOfEntry+`, vr.rate_bps`,
		runID).Scan(&in.Lines).Error; err != nil {
		return Input{}, fmt.Errorf("aggregate hours: %w", err)
	}
	var fees []LineGroup
	if err := tx.Raw(`SELECT s.customer_id, s.order_id, s.organiser_id, '`+models.KindLateCancellation+`' AS kind,
			ag.late_cancellation_fee_cents AS unit_price, 0 AS minutes, COUNT(*) AS count, COALESCE(vr.rate_bps, -1) AS vat_bps
		FROM shifts s `+staffing.AgreementOnShiftDate+` `+vatOnShiftDate+`
		WHERE s.late_fee_billing_run_id = ? AND ag.late_cancellation_fee_cents > 0
		GROUP BY s.customer_id, s.order_id, s.organiser_id, ag.late_cancellation_fee_cents, vr.rate_bps`, runID).Scan(&fees).Error; err != nil {
		return Input{}, fmt.Errorf("aggregate late cancellations: %w", err)
	}
	in.Lines = append(in.Lines, fees...)
	// Participants are paid per the decision valid on each shift date, on
	// the minutes they worked (not the billed minimum).
	if err := tx.Raw(payoutGroups(`te.billing_run_id = ?`), runID).Scan(&in.Payouts).Error; err != nil {
		return Input{}, fmt.Errorf("aggregate payouts: %w", err)
	}
	ended, err := endedEmployments(tx, tenantID, period)
	if err != nil {
		return Input{}, err
	}
	in.Payouts = append(in.Payouts, ended...)
	if err := tx.Raw(`SELECT id, participant_id, organiser_id, days, minutes, gross_cents AS gross, withholding_cents AS withholding,
			net_cents AS net, taxable_cents AS taxable, wage_cents AS wage, tax_free_cents AS tax_free,
			holiday_accrued_cents AS holiday_accrued, holiday_compensation_cents AS holiday_compensation,
			pension_cents AS pension, unemployment_insurance_cents AS unemployment, employer_pension_cents AS employer_pension,
			employer_unemployment_cents AS employer_unemployment, employer_health_insurance_cents AS employer_health_insurance,
			employer_accident_insurance_cents AS employer_accident_insurance, employer_cost_cents AS employer_cost
		FROM payouts WHERE tenant_id = ? AND carried_into IS NULL AND (invoice_id IS NOT NULL OR net_cents < 0)
		ORDER BY id`, tenantID).Scan(&in.PayoutBalances).Error; err != nil {
		return Input{}, fmt.Errorf("load payout balances: %w", err)
	}
	if len(in.Payouts) > 0 {
		if in.Payroll, err = s.payrollContext(tx, tenantID, in.Payouts, period, today); err != nil {
			return Input{}, err
		}
	}
	if err := tx.Raw(`SELECT id, organiser_id, payable_cents + carried_cents AS amount
		FROM settlements WHERE tenant_id = ? AND carried_into IS NULL AND (invoice_id IS NOT NULL OR payable_cents + carried_cents < 0)
		ORDER BY id`, tenantID).Scan(&in.SettlementBalances).Error; err != nil {
		return Input{}, fmt.Errorf("load settlement balances: %w", err)
	}
	return in, s.settings(tx, tenantID, &in)
}

// settings loads the customers, organisers and accounts the input refers
// to (each line brings its own VAT rate).
func (s *Service) settings(tx *gorm.DB, tenantID string, in *Input) error {
	ids := map[string]bool{}
	for _, l := range in.Lines {
		ids[l.CustomerID], ids[l.OrganiserID] = true, true
	}
	for _, p := range in.Payouts {
		ids[p.OrganiserID] = true
	}
	var orgs []models.Organization
	if len(ids) > 0 {
		if err := tx.Where("tenant_id = ? AND id IN ?", tenantID, keys(ids)).Find(&orgs).Error; err != nil {
			return fmt.Errorf("load organizations: %w", err)
		}
	}
	for _, o := range orgs {
		if o.Kind == models.KindCustomer {
			in.Customers[o.ID] = Customer{VatTreatment: o.VatTreatment, VatExemptReason: o.VatExemptReason}
		} else {
			in.Organisers[o.ID] = Organiser{CoordinationFeeBps: o.CoordinationFeeBps,
				Employer: payroll.Employer{PensionBps: o.EmployerPensionBps, AccidentInsuranceBps: o.AccidentInsuranceBps}}
		}
	}
	var t models.Tenant
	if err := tx.Where("id = ?", tenantID).Take(&t).Error; err != nil {
		return store.NotFound(err, "tenant")
	}
	in.Accounts = Accounts{Receivables: t.AccountReceivables, Sales: t.AccountSales, VatPayable: t.AccountVatPayable,
		Purchases: t.AccountPurchases, OrganiserPayables: t.AccountOrganiserPayables,
		Payroll: PayrollAccounts{Wages: t.AccountWages, SocialCosts: t.AccountSocialCosts, WithholdingPayable: t.AccountWithholdingPayable,
			SocialSecurityPayable: t.AccountSocialSecurityPayable, PensionPayable: t.AccountPensionPayable,
			UnemploymentPayable: t.AccountUnemploymentPayable, AccidentInsurancePayable: t.AccountAccidentInsurancePayable,
			HolidayLiability: t.AccountHolidayLiability, NetWagesPayable: t.AccountNetWagesPayable}}
	return nil
}

func keys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

// write stores the computed run: numbered invoices, settlements, payouts and
// journal, and links the billed rows to their invoices.
func (s *Service) write(tx *gorm.DB, run models.BillingRun, res Result, today models.Date) (Outcome, error) {
	out := Outcome{}
	for _, ci := range res.Invoices {
		term, err := paymentTermDays(tx, run.TenantID, ci.CustomerID, today)
		if err != nil {
			return Outcome{}, err
		}
		inv, err := s.storeInvoice(tx, run.TenantID, &run.ID, nil, ci, today, today.AddDays(term))
		if err != nil {
			return Outcome{}, err
		}
		out.Invoices = append(out.Invoices, inv)
	}
	// Time entries find their invoice through the run and the shift's customer.
	if err := staffing.LinkLateFees(tx, run.ID); err != nil {
		return Outcome{}, err
	}
	var err error
	numbers := make(map[string]string, len(out.Invoices))
	for _, inv := range out.Invoices {
		numbers[inv.CustomerID] = inv.InvoiceNumber
	}
	if out.Settlements, out.Payouts, out.Journal, err = storeSettlement(tx, run.TenantID, &run.ID, nil, res, numbers, run.Period, today); err != nil {
		return Outcome{}, err
	}
	payoutOf, settlementOf := map[string]string{}, map[string]string{}
	for _, p := range out.Payouts {
		payoutOf[p.ParticipantID] = p.ID
	}
	for _, st := range out.Settlements {
		settlementOf[st.OrganiserID] = st.ID
	}
	if err := linkCarried(tx, "payouts", res.CarriedPayouts, payoutOf); err != nil {
		return Outcome{}, err
	}
	if err := linkCarried(tx, "settlements", res.CarriedSettlements, settlementOf); err != nil {
		return Outcome{}, err
	}
	run.InvoiceCount, run.NetCents, run.VatCents, run.GrossCents = len(res.Invoices), res.Net, res.Vat, res.Gross
	if err := tx.Model(&models.BillingRun{}).Where("id = ?", run.ID).Updates(map[string]any{
		"invoice_count": run.InvoiceCount, "net_cents": run.NetCents, "vat_cents": run.VatCents, "gross_cents": run.GrossCents}).Error; err != nil {
		return Outcome{}, fmt.Errorf("run totals: %w", err)
	}
	out.Run = run
	return out, nil
}

// linkCarried marks each carried balance, a row of table, with the row of
// this run it was carried into, found by its owner (participant or
// organiser).
func linkCarried(tx *gorm.DB, table string, carried, into map[string]string) error {
	for balanceID, owner := range carried {
		if err := tx.Table(table).Where("id = ? AND carried_into IS NULL", balanceID).Update("carried_into", into[owner]).Error; err != nil {
			return fmt.Errorf("settle %s balance: %w", table, err)
		}
	}
	return nil
}

// paymentTermDays is the term of the customer's agreement valid on day, or
// of its latest earlier version.
func paymentTermDays(tx *gorm.DB, tenantID, customerID string, day models.Date) (int, error) {
	var terms []int
	if err := tx.Raw(`SELECT payment_term_days FROM agreements WHERE tenant_id = ? AND customer_id = ? AND valid_from <= ?
		ORDER BY valid_from DESC LIMIT 1`, tenantID, customerID, day).Scan(&terms).Error; err != nil {
		return 0, fmt.Errorf("payment term: %w", err)
	}
	if len(terms) == 0 {
		return 0, models.Conflict("no_agreement", "the customer has no agreement with a payment term")
	}
	return terms[0], nil
}

// storeInvoice numbers and writes one computed invoice (or credit note).
func (s *Service) storeInvoice(tx *gorm.DB, tenantID string, runID, creditsID *string, ci Invoice, date, due models.Date) (StoredInvoice, error) {
	number, seq, err := nextInvoiceNumber(tx, tenantID, date.Year)
	if err != nil {
		return StoredInvoice{}, err
	}
	ref, err := models.FinnishReference(strconv.Itoa(date.Year) + fmt.Sprintf("%06d", seq))
	if err != nil {
		return StoredInvoice{}, fmt.Errorf("reference number: %w", err)
	}
	var parties struct{ Seller, Buyer string }
	if err := tx.Raw(`SELECT t.business_id AS seller, o.business_id AS buyer FROM tenants t, organizations o
		WHERE t.id = ? AND o.id = ?`, tenantID, ci.CustomerID).Scan(&parties).Error; err != nil {
		return StoredInvoice{}, fmt.Errorf("invoice parties: %w", err)
	}
	inv := StoredInvoice{Invoice: models.Invoice{ID: store.NewID(), TenantID: tenantID, BillingRunID: runID, CustomerID: ci.CustomerID,
		InvoiceNumber: number, ReferenceNumber: ref, RFReference: models.RFReference(ref), InvoiceDate: date, DueDate: due,
		NetCents: ci.Net, VatCents: ci.Vat, GrossCents: ci.Gross, VatTreatment: ci.VatTreatment, VatExemptReason: ci.VatExemptReason,
		CreditsInvoiceID: creditsID, SellerBusinessID: parties.Seller, BuyerBusinessID: parties.Buyer, CreatedAt: s.Clock.Now()}}
	if err := tx.Create(&inv.Invoice).Error; err != nil {
		return StoredInvoice{}, fmt.Errorf("store invoice: %w", err)
	}
	for i, l := range ci.Lines {
		inv.Lines = append(inv.Lines, models.InvoiceLine{ID: store.NewID(), InvoiceID: inv.ID, LineNo: i + 1, OrderID: l.OrderID,
			OrganiserID: l.OrganiserID, Kind: l.Kind, Minutes: l.Minutes, Count: l.Count, UnitPriceCents: l.UnitPrice,
			AmountCents: l.Amount, VatBps: l.VatBps})
	}
	for _, v := range ci.VatBreakdown {
		inv.Vat = append(inv.Vat, models.InvoiceVat{InvoiceID: inv.ID, VatBps: v.VatBps, NetCents: v.Net, VatCents: v.Vat})
	}
	if err := createAll(tx, inv.Lines, inv.Vat); err != nil {
		return StoredInvoice{}, fmt.Errorf("store invoice lines: %w", err)
	}
	return inv, nil
}

// nextInvoiceNumber takes the next number of the tenant's series for year.
// It runs inside the caller's transaction: a rolled-back run gives the
// number back, so the series has no gaps and no reuse.
func nextInvoiceNumber(tx *gorm.DB, tenantID string, year int) (string, int, error) {
	var n []int
	if err := tx.Raw(`INSERT INTO invoice_series (tenant_id, year, last_number) VALUES (?, ?, 1)
		ON CONFLICT (tenant_id, year) DO UPDATE SET last_number = invoice_series.last_number + 1
		RETURNING last_number`, tenantID, year).Scan(&n).Error; err != nil || len(n) != 1 {
		return "", 0, fmt.Errorf("next invoice number: %w", err)
	}
	return fmt.Sprintf("%d-%06d", year, n[0]), n[0], nil
}

// storeSettlement writes the settlements, payouts and journal of a run or a
// credit note; numbers are the document's invoice numbers by customer.
// Payouts are paid on date, for pay period period.
func storeSettlement(tx *gorm.DB, tenantID string, runID, invoiceID *string, res Result, numbers map[string]string, period string, date models.Date) ([]models.Settlement, []models.Payout, []models.JournalEntry, error) {
	var (
		settlements []models.Settlement
		payouts     []models.Payout
		journal     []models.JournalEntry
	)
	memo, err := journalMemos(tx, tenantID, res.Journal, numbers, invoiceID != nil)
	if err != nil {
		return nil, nil, nil, err
	}
	for _, st := range res.Settlements {
		settlements = append(settlements, models.Settlement{ID: store.NewID(), TenantID: tenantID, BillingRunID: runID, InvoiceID: invoiceID,
			OrganiserID: st.OrganiserID, GrossCents: st.Gross, FeeCents: st.Fee, PayableCents: st.Payable, CarriedCents: st.Carried})
	}
	for _, p := range res.Payouts {
		payouts = append(payouts, models.Payout{ID: store.NewID(), TenantID: tenantID, BillingRunID: runID, InvoiceID: invoiceID,
			ParticipantID: p.ParticipantID, OrganiserID: p.OrganiserID, Period: period, PaymentDate: date, Days: p.Days, Minutes: p.Minutes,
			GrossCents: p.Gross, WithholdingCents: p.Withholding, NetCents: p.Net, TaxableCents: p.Taxable, WageCents: p.Wage,
			TaxFreeCents: p.TaxFree, HolidayAccruedCents: p.HolidayAccrued, HolidayCompensationCents: p.HolidayCompensation,
			PensionCents: p.Pension, UnemploymentInsuranceCents: p.Unemployment, EmployerPensionCents: p.EmployerPension,
			EmployerUnemploymentCents: p.EmployerUnemployment, EmployerHealthInsuranceCents: p.EmployerHealthInsurance,
			EmployerAccidentInsuranceCents: p.EmployerAccidentInsurance, EmployerCostCents: p.EmployerCost, CarriedNetCents: p.CarriedNet})
	}
	for i, j := range res.Journal {
		journal = append(journal, models.JournalEntry{ID: store.NewID(), TenantID: tenantID, BillingRunID: runID, InvoiceID: invoiceID,
			LineNo: i + 1, EntryDate: date, Account: j.Account, DebitCents: j.Debit, CreditCents: j.Credit, Memo: memo(j)})
	}
	if err := createAll(tx, settlements, payouts, journal); err != nil {
		return nil, nil, nil, fmt.Errorf("store settlements: %w", err)
	}
	return settlements, payouts, journal, nil
}

// journalMemos names each posting for the bookkeeper: the invoice (or
// credit note) number and the customer, or the organiser settled.
func journalMemos(tx *gorm.DB, tenantID string, entries []JournalEntry, numbers map[string]string, creditNote bool) (func(JournalEntry) string, error) {
	ids := map[string]bool{}
	for _, j := range entries {
		ids[j.party()] = true
	}
	var orgs []struct{ ID, Name string }
	if len(ids) > 0 {
		if err := tx.Raw(`SELECT id, name FROM organizations WHERE tenant_id = ? AND id IN ?`, tenantID, keys(ids)).Scan(&orgs).Error; err != nil {
			return nil, fmt.Errorf("journal memos: %w", err)
		}
	}
	names := make(map[string]string, len(orgs))
	for _, o := range orgs {
		names[o.ID] = o.Name
	}
	document := "invoice"
	if creditNote {
		document = "credit note"
	}
	return func(j JournalEntry) string {
		if j.CustomerID != "" {
			return fmt.Sprintf("%s %s %s", document, numbers[j.CustomerID], names[j.party()])
		}
		if j.Payroll {
			return "payroll " + names[j.party()]
		}
		return "settlement " + names[j.party()]
	}, nil
}

// createAll inserts each non-empty slice in batches.
func createAll(tx *gorm.DB, slices ...any) error {
	for _, s := range slices {
		if err := tx.CreateInBatches(s, 500).Error; err != nil && !errors.Is(err, gorm.ErrEmptySlice) {
			return err
		}
	}
	return nil
}

// checkJournal verifies in the database that debits equal credits for the
// run or credit note: a run that would not balance writes nothing.
func checkJournal(tx *gorm.DB, column, id string) error {
	var sums struct{ Debit, Credit int64 }
	if err := tx.Raw(`SELECT COALESCE(SUM(debit_cents), 0) AS debit, COALESCE(SUM(credit_cents), 0) AS credit
		FROM journal_entries WHERE `+column+` = ?`, id).Scan(&sums).Error; err != nil {
		return fmt.Errorf("check journal: %w", err)
	}
	if sums.Debit != sums.Credit {
		return fmt.Errorf("journal does not balance: debits %d, credits %d", sums.Debit, sums.Credit)
	}
	return nil
}

// RunMonthly is the monthly job: the regular run of the month before slot
// for every tenant. A tenant's failure does not stop the others; the errors
// are returned together.
func (s *Service) RunMonthly(ctx context.Context, slot time.Time) error {
	local := slot.In(s.Loc)
	period := models.Period{Year: local.Year(), Month: local.Month()}.Prev()
	var tenants []string
	if err := s.DB.Gorm.WithContext(ctx).Model(&models.Tenant{}).Pluck("id", &tenants).Error; err != nil {
		return fmt.Errorf("load tenants: %w", err)
	}
	var errs []error
	for _, t := range tenants {
		if _, err := s.Run(ctx, RunRequest{TenantID: t, Period: period}); err != nil {
			errs = append(errs, fmt.Errorf("tenant %s period %s: %w", t, period, err))
		}
	}
	return errors.Join(errs...)
}
