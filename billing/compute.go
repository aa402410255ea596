package billing

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"

	"jobcenter/models"
	"jobcenter/payroll"
)

// Input is everything a billing run prices. Nothing in it is looked up by
// Compute; the caller resolves dated settings (each line's VAT rate)
// beforehand.
type Input struct {
	Customers  map[string]Customer  // by customer id
	Organisers map[string]Organiser // by organiser id
	Lines      []LineGroup
	Payouts    []PayoutGroup
	// PayoutBalances are earlier payouts still to settle with participants.
	PayoutBalances []PayoutBalance
	// SettlementBalances are earlier amounts still to settle with organisers.
	SettlementBalances []SettlementBalance
	Accounts           Accounts
	// Payroll is what the payouts need besides their groups; zero when the
	// run pays nobody.
	Payroll Payroll
}

// Payroll is the context of a run's payouts, resolved by the caller: the
// pay period, the rates valid on the payment date, who is paid and what
// the year's earlier payouts leave.
type Payroll struct {
	Period      models.Period
	PaymentDate models.Date
	Rates       payroll.Rates
	Employees   map[string]payroll.Employee // by participant id
	// History by participant id; its EmployerPayroll is unused (see
	// EmployerPayroll).
	History map[string]payroll.History
	// EmployerPayroll is each organiser's insured pay earlier in the year.
	EmployerPayroll map[string]models.Cents
	// Reversal: the payouts take back earlier ones (a credit note), so no
	// earlier holiday compensation falls due in them; a reversal in the
	// month a credit year or the employment ends takes back its own
	// accrual's payment.
	Reversal bool
}

// SettlementBalance is an earlier settlement not yet settled: a credit
// note's reversed share, or a run's settlement whose amount to pay fell
// below zero. It is carried into the organiser's settlement of the next run
// that has one. The journal is not touched: its document posted it.
type SettlementBalance struct {
	ID          string
	OrganiserID string
	Amount      models.Cents
}

// PayoutBalance is an earlier payout not yet settled: a credit note's
// reversal of paid hours, or a run's payout that netted below zero. It is
// carried into its participant's payout of the next run that pays them, so
// hours that were credited, corrected and billed again are paid once.
type PayoutBalance struct {
	ID string
	Payout
}

// Customer is the part of a customer organization billing needs.
type Customer struct {
	VatTreatment    string // models.VatStandard, models.VatInternal or models.VatExempt
	VatExemptReason string // required for models.VatExempt
}

// Organiser is the part of an organiser organization billing needs.
type Organiser struct {
	CoordinationFeeBps int64
	Employer           payroll.Employer
}

// LineGroup is one SQL group: customer × order × organiser × kind × unit
// price × VAT rate.
type LineGroup struct {
	CustomerID  string
	OrderID     string
	OrganiserID string
	Kind        string       // models.KindParticipantHours, models.KindSupervisorHours or models.KindLateCancellation
	UnitPrice   models.Cents // per hour for the hours kinds, per cancellation otherwise
	Minutes     int64        // summed billable minutes (hours kinds only)
	Count       int64        // number of late cancellations (late_cancellation only)
	// VatBps is the standard VAT rate valid on the day the work was done
	// (the shift's date); a standard customer's line is taxed at it, an
	// internal or exempt customer's at 0.
	VatBps int64
}

// PayoutGroup is one SQL group: participant × service decision.
type PayoutGroup struct {
	ParticipantID  string
	OrganiserID    string
	Compensation   string // models.CompensationDailyAllowance, models.CompensationHourlyWage or models.CompensationNone
	DailyAllowance models.Cents
	HourlyWage     models.Cents
	Days           int64 // days with a present entry
	Minutes        int64 // minutes worked minus breaks
}

// Accounts are the tenant's journal account codes.
type Accounts struct {
	Receivables       string
	Sales             string
	VatPayable        string
	Purchases         string
	OrganiserPayables string
	Payroll           PayrollAccounts
}

// PayrollAccounts are the tenant's journal accounts of participant pay.
type PayrollAccounts struct {
	Wages                    string // expense: wages, allowances and accrued holiday compensation
	SocialCosts              string // expense: the employer's contributions
	WithholdingPayable       string // to the Tax Administration
	SocialSecurityPayable    string // employer health insurance, to the Tax Administration
	PensionPayable           string // employee and employer TyEL, to the pension insurer
	UnemploymentPayable      string // employee and employer contributions, to the Employment Fund
	AccidentInsurancePayable string // to the accident insurer
	HolidayLiability         string // holiday compensation accrued, not yet paid
	NetWagesPayable          string // to the participants
}

// Result is a priced billing run. Every slice is in a deterministic order.
type Result struct {
	Invoices    []Invoice    // by customer id
	Settlements []Settlement // by organiser id
	Payouts     []Payout     // by organiser id, then participant id
	// CarriedPayouts maps each balance carried into Payouts to its
	// participant, CarriedSettlements each one carried into Settlements to
	// its organiser.
	CarriedPayouts, CarriedSettlements map[string]string
	Journal                            []JournalEntry
	// Totals over all invoices.
	Net, Vat, Gross models.Cents
}

// Invoice is one customer's invoice of the run.
type Invoice struct {
	CustomerID      string
	VatTreatment    string
	VatExemptReason string // empty for standard customers
	Lines           []Line // by order id, kind, unit price
	VatBreakdown    []VatGroup
	Net, Vat, Gross models.Cents
}

// Line is a priced LineGroup.
type Line struct {
	OrderID     string
	OrganiserID string
	Kind        string
	Minutes     int64
	Count       int64
	UnitPrice   models.Cents
	Amount      models.Cents
	VatBps      int64
}

// VatGroup is one VAT rate group of an invoice (EN 16931 breakdown).
type VatGroup struct {
	VatBps   int64
	Net, Vat models.Cents
}

// Settlement is what the job center owes an organiser for its crews.
type Settlement struct {
	OrganiserID string
	Gross       models.Cents // net invoiced for the organiser's shifts
	Fee         models.Cents // the job center's coordination fee
	Payable     models.Cents // Gross − Fee
	Carried     models.Cents // earlier balances carried in; to pay = Payable + Carried
}

// Payout is what an organiser pays one participant: Gross is the wage and
// the työosuusraha, the payroll lines are payroll.Payout's.
type Payout struct {
	ParticipantID string
	OrganiserID   string
	Days          int64
	Minutes       int64
	Gross         models.Cents
	Withholding   models.Cents
	Net           models.Cents
	Taxable       models.Cents // daily allowance above the tax-free cap
	Wage          models.Cents // time-rate pay (income type 201)
	TaxFree       models.Cents // daily allowance up to the tax-free cap
	// HolidayAccrued is earned by this pay, HolidayCompensation paid in it.
	HolidayAccrued, HolidayCompensation models.Cents
	Pension, Unemployment               models.Cents
	EmployerPension                     models.Cents
	EmployerUnemployment                models.Cents
	EmployerHealthInsurance             models.Cents
	EmployerAccidentInsurance           models.Cents
	EmployerCost                        models.Cents
	CarriedNet                          models.Cents // the part of Net carried in from balances
}

// JournalEntry is one posting. Exactly one of Debit and Credit is non-zero,
// and it is positive.
type JournalEntry struct {
	Account     string
	Debit       models.Cents
	Credit      models.Cents
	CustomerID  string // set on invoice postings
	OrganiserID string // set on settlement and payroll postings
	Payroll     bool   // a posting of the organiser's participant pay
}

// party is the organization a posting is about: the customer invoiced or
// the organiser settled.
func (j JournalEntry) party() string {
	if j.CustomerID != "" {
		return j.CustomerID
	}
	return j.OrganiserID
}

// Compute prices a billing run. It is deterministic: the order of the input
// slices does not matter. Negative groups (a credit note reversing lines)
// give exactly the negated money, because all rounding is half away from zero.
func Compute(in Input) (Result, error) {
	if err := validate(in); err != nil {
		return Result{}, err
	}
	var res Result

	// Invoices: one per customer with lines.
	byCustomer := map[string][]LineGroup{}
	for _, g := range in.Lines {
		byCustomer[g.CustomerID] = append(byCustomer[g.CustomerID], g)
	}
	settlementGross := map[string]models.Cents{}
	for _, cid := range sortedKeys(byCustomer) {
		inv := invoice(cid, in.Customers[cid], byCustomer[cid])
		for _, l := range inv.Lines {
			settlementGross[l.OrganiserID] += l.Amount
		}
		res.Invoices = append(res.Invoices, inv)
		res.Net += inv.Net
		res.Vat += inv.Vat
		res.Gross += inv.Gross
	}

	// Settlements: the fee is taken once on the organiser's whole gross, so
	// it is rounded once per settlement, not per invoice.
	for _, oid := range sortedKeys(settlementGross) {
		gross := settlementGross[oid]
		fee := models.ApplyBps(gross, in.Organisers[oid].CoordinationFeeBps)
		res.Settlements = append(res.Settlements, Settlement{
			OrganiserID: oid, Gross: gross, Fee: fee, Payable: gross - fee,
		})
	}

	res.CarriedSettlements = carry(res.Settlements, in.SettlementBalances, addSettlementBalance)
	res.Payouts = payouts(in.Payouts, in.Payroll, in.Organisers)
	// The journal posts the run's own pay; carried balances were posted by
	// their own documents.
	res.Journal = journal(in.Accounts, res.Invoices, res.Settlements, res.Payouts)
	res.CarriedPayouts = carry(res.Payouts, in.PayoutBalances, addPayoutBalance)

	if err := checkBalanced(res.Journal); err != nil {
		return Result{}, err
	}
	return res, nil
}

// lineKey identifies a line on an invoice; groups with equal keys are merged
// so that hours are rounded once on their summed minutes, however the caller
// split its rows. Work on both sides of a VAT rate change makes two lines.
type lineKey struct {
	orderID, organiserID, kind string
	unitPrice                  models.Cents
	vatBps                     int64
}

func invoice(customerID string, c Customer, groups []LineGroup) Invoice {
	inv := Invoice{CustomerID: customerID, VatTreatment: c.VatTreatment}
	if c.VatTreatment != models.VatStandard {
		inv.VatExemptReason = c.VatExemptReason
	}

	merged := map[lineKey]*Line{}
	for _, g := range groups {
		vatBps := int64(0) // internal and exempt customers carry no VAT
		if c.VatTreatment == models.VatStandard {
			vatBps = g.VatBps
		}
		k := lineKey{g.OrderID, g.OrganiserID, g.Kind, g.UnitPrice, vatBps}
		l := merged[k]
		if l == nil {
			l = &Line{OrderID: g.OrderID, OrganiserID: g.OrganiserID, Kind: g.Kind, UnitPrice: g.UnitPrice, VatBps: vatBps}
			merged[k] = l
		}
		l.Minutes += g.Minutes
		l.Count += g.Count
	}
	for _, l := range merged {
		if l.Kind == models.KindLateCancellation {
			l.Amount = models.Cents(l.Count) * l.UnitPrice
		} else {
			l.Amount = models.MinutesAmount(l.Minutes, l.UnitPrice)
		}
		inv.Lines = append(inv.Lines, *l)
	}
	slices.SortFunc(inv.Lines, func(a, b Line) int {
		return cmp.Or(
			cmp.Compare(a.OrderID, b.OrderID),
			cmp.Compare(kindRank[a.Kind], kindRank[b.Kind]),
			cmp.Compare(a.UnitPrice, b.UnitPrice),
			cmp.Compare(a.VatBps, b.VatBps),
			cmp.Compare(a.OrganiserID, b.OrganiserID),
		)
	})

	// VAT per rate group on the group's net sum (EN 16931), not per line:
	// per-line rounding would drift by up to half a cent a line.
	groupNet := map[int64]models.Cents{}
	for _, l := range inv.Lines {
		groupNet[l.VatBps] += l.Amount
		inv.Net += l.Amount
	}
	for _, bps := range sortedKeys(groupNet) {
		vat := models.ApplyBps(groupNet[bps], bps)
		inv.VatBreakdown = append(inv.VatBreakdown, VatGroup{VatBps: bps, Net: groupNet[bps], Vat: vat})
		inv.Vat += vat
	}
	inv.Gross = inv.Net + inv.Vat
	return inv
}

// kindRank orders lines as an invoice reads: the crew's hours, the
// supervisor's hours, then fees.
var kindRank = map[string]int{
	models.KindParticipantHours: 0,
	models.KindSupervisorHours:  1,
	models.KindLateCancellation: 2,
}

// payouts sums each participant's groups into the month's earnings and
// runs payroll on them, participants in order of organiser and id, so the
// employer's unemployment band fills in a deterministic order. A group
// without days is someone paid holiday compensation only (the employment
// ended).
func payouts(groups []PayoutGroup, pr Payroll, organisers map[string]Organiser) []Payout {
	type acc struct {
		p    Payout
		earn payroll.Earnings
	}
	by := map[string]*acc{}
	for _, g := range groups {
		a := by[g.ParticipantID]
		if a == nil {
			a = &acc{p: Payout{ParticipantID: g.ParticipantID, OrganiserID: g.OrganiserID}}
			by[g.ParticipantID] = a
		}
		a.p.Days += g.Days
		a.p.Minutes += g.Minutes
		a.earn.Days += g.Days
		switch g.Compensation {
		case models.CompensationDailyAllowance:
			a.earn.Allowance += models.Cents(g.Days) * g.DailyAllowance
			a.earn.TaxFree += payroll.TaxFreeAllowance(g.Days, g.DailyAllowance, pr.Rates.WorkShareTaxFree)
		case models.CompensationHourlyWage:
			a.earn.Wage += models.MinutesAmount(g.Minutes, g.HourlyWage)
		}
	}
	var out []Payout
	for _, a := range by {
		out = append(out, a.p)
	}
	slices.SortFunc(out, func(a, b Payout) int {
		return cmp.Or(cmp.Compare(a.OrganiserID, b.OrganiserID), cmp.Compare(a.ParticipantID, b.ParticipantID))
	})
	employerPayroll := maps.Clone(pr.EmployerPayroll)
	if employerPayroll == nil {
		employerPayroll = map[string]models.Cents{}
	}
	for i := range out {
		p := &out[i]
		a := by[p.ParticipantID]
		h := pr.History[p.ParticipantID]
		if pr.Reversal {
			h.HolidayUnpaid = 0
		}
		h.EmployerPayroll = employerPayroll[p.OrganiserID]
		pp := payroll.Compute(pr.Period, pr.PaymentDate, pr.Employees[p.ParticipantID], organisers[p.OrganiserID].Employer, pr.Rates, a.earn, h)
		employerPayroll[p.OrganiserID] += pp.InsuredPay()
		p.setPay(pp)
	}
	// Someone with nothing at all gets no row; a "none" participant who
	// worked keeps a zero-money row so the days show.
	return slices.DeleteFunc(out, func(p Payout) bool {
		return p.Days == 0 && p.Minutes == 0 && p.Gross == 0 && p.HolidayCompensation == 0
	})
}

// setPay copies payroll's lines into the payout.
func (p *Payout) setPay(pp payroll.Payout) {
	p.Gross, p.Wage, p.TaxFree, p.Taxable = pp.Gross(), pp.Wage, pp.TaxFree, pp.Taxable
	p.HolidayAccrued, p.HolidayCompensation = pp.HolidayAccrued, pp.HolidayCompensation
	p.Withholding, p.Pension, p.Unemployment, p.Net = pp.Withholding, pp.Pension, pp.Unemployment, pp.Net
	p.EmployerPension, p.EmployerUnemployment = pp.EmployerPension, pp.EmployerUnemployment
	p.EmployerHealthInsurance, p.EmployerAccidentInsurance, p.EmployerCost = pp.EmployerHealthInsurance, pp.EmployerAccidentInsurance, pp.EmployerCost
}

// owned is a row of a run, or a balance, by whom it belongs to: a
// participant's payout, an organiser's settlement.
type owned interface{ owner() string }

func (p Payout) owner() string            { return p.ParticipantID }
func (s Settlement) owner() string        { return s.OrganiserID }
func (b SettlementBalance) owner() string { return b.OrganiserID }

// balance is an earlier document's amount still to settle.
type balance interface {
	owned
	key() string
}

func (b PayoutBalance) key() string     { return b.ID }
func (b SettlementBalance) key() string { return b.ID }

// carry adds each balance to its owner's row of this run with add, and
// returns the carried balances' ids with their owners. A balance whose owner
// has no row in the run stays open for a later run; a row that ends below
// zero becomes a balance itself (no payment file pays it).
func carry[R owned, B balance](rows []R, balances []B, add func(*R, B)) map[string]string {
	var carried map[string]string
	at := make(map[string]int, len(rows))
	for i, r := range rows {
		at[r.owner()] = i
	}
	for _, b := range balances {
		i, ok := at[b.owner()]
		if !ok {
			continue
		}
		add(&rows[i], b)
		if carried == nil {
			carried = map[string]string{}
		}
		carried[b.key()] = b.owner()
	}
	return carried
}

// addPayoutBalance carries every figure of a payout balance.
func addPayoutBalance(p *Payout, b PayoutBalance) {
	p.Days += b.Days
	p.Minutes += b.Minutes
	p.Gross += b.Gross
	p.Withholding += b.Withholding
	p.Net += b.Net
	p.Taxable += b.Taxable
	p.Wage += b.Wage
	p.TaxFree += b.TaxFree
	p.HolidayAccrued += b.HolidayAccrued
	p.HolidayCompensation += b.HolidayCompensation
	p.Pension += b.Pension
	p.Unemployment += b.Unemployment
	p.EmployerPension += b.EmployerPension
	p.EmployerUnemployment += b.EmployerUnemployment
	p.EmployerHealthInsurance += b.EmployerHealthInsurance
	p.EmployerAccidentInsurance += b.EmployerAccidentInsurance
	p.EmployerCost += b.EmployerCost
	p.CarriedNet += b.Net
}

// addSettlementBalance carries a balance into Carried; Payable, which the
// journal posts, stays the run's own.
func addSettlementBalance(s *Settlement, b SettlementBalance) { s.Carried += b.Amount }

// journal posts each invoice (Dr receivables / Cr sales, VAT), each
// settlement (Dr purchases / Cr organiser payables) and each organiser's
// participant pay (Dr wages and social costs / Cr withholding, the
// contributions payable, the holiday liability and net wages payable). The
// coordination fee income is what remains between sales and purchases, so
// it needs no posting.
func journal(acc Accounts, invoices []Invoice, settlements []Settlement, payouts []Payout) []JournalEntry {
	var j []JournalEntry
	post := func(account string, debit models.Cents, e JournalEntry) {
		// A negative amount (credit note) goes to the other side, so every
		// posted amount is positive; zero postings are noise.
		switch {
		case debit > 0:
			e.Debit = debit
		case debit < 0:
			e.Credit = -debit
		default:
			return
		}
		e.Account = account
		j = append(j, e)
	}
	for _, inv := range invoices {
		ref := JournalEntry{CustomerID: inv.CustomerID}
		post(acc.Receivables, inv.Gross, ref)
		post(acc.Sales, -inv.Net, ref)
		post(acc.VatPayable, -inv.Vat, ref)
	}
	for _, s := range settlements {
		ref := JournalEntry{OrganiserID: s.OrganiserID}
		post(acc.Purchases, s.Payable, ref)
		post(acc.OrganiserPayables, -s.Payable, ref)
	}
	var pay []Payout // per organiser
	for _, p := range payouts {
		if len(pay) == 0 || pay[len(pay)-1].OrganiserID != p.OrganiserID {
			pay = append(pay, Payout{OrganiserID: p.OrganiserID})
		}
		addPayoutBalance(&pay[len(pay)-1], PayoutBalance{Payout: p})
	}
	a := acc.Payroll
	for _, p := range pay {
		ref := JournalEntry{OrganiserID: p.OrganiserID, Payroll: true}
		post(a.Wages, p.Gross+p.HolidayAccrued, ref)
		post(a.SocialCosts, p.EmployerPension+p.EmployerUnemployment+p.EmployerHealthInsurance+p.EmployerAccidentInsurance, ref)
		post(a.WithholdingPayable, -p.Withholding, ref)
		post(a.SocialSecurityPayable, -p.EmployerHealthInsurance, ref)
		post(a.PensionPayable, -(p.Pension + p.EmployerPension), ref)
		post(a.UnemploymentPayable, -(p.Unemployment + p.EmployerUnemployment), ref)
		post(a.AccidentInsurancePayable, -p.EmployerAccidentInsurance, ref)
		post(a.HolidayLiability, -(p.HolidayAccrued - p.HolidayCompensation), ref)
		post(a.NetWagesPayable, -p.Net, ref)
	}
	return j
}

// checkBalanced is the double-entry invariant. By construction it holds; it
// is checked so that a future change cannot post an unbalanced run.
func checkBalanced(j []JournalEntry) error {
	var debit, credit models.Cents
	for _, e := range j {
		debit += e.Debit
		credit += e.Credit
	}
	if debit != credit {
		return fmt.Errorf("billing: journal unbalanced: debits %d ≠ credits %d", debit, credit)
	}
	return nil
}

// validate rejects input the arithmetic would silently misprice. These are
// the caller's bugs or bad master data, not a client's request, so the
// errors are plain (a 500, not a 422).
func validate(in Input) error {
	var errs []error
	bad := func(format string, args ...any) { errs = append(errs, fmt.Errorf("billing: "+format, args...)) }
	validBps := func(bps int64) bool { return bps >= 0 && bps <= 10000 }

	for _, id := range sortedKeys(in.Customers) {
		c := in.Customers[id]
		switch c.VatTreatment {
		case models.VatStandard, models.VatInternal:
		case models.VatExempt:
			if c.VatExemptReason == "" {
				bad("customer %s: exempt without a reason", id)
			}
		default:
			bad("customer %s: unknown VAT treatment %q", id, c.VatTreatment)
		}
	}
	for _, id := range sortedKeys(in.Organisers) {
		o := in.Organisers[id]
		if !validBps(o.CoordinationFeeBps) || !validBps(o.Employer.PensionBps) || !validBps(o.Employer.AccidentInsuranceBps) {
			bad("organiser %s: a rate out of range", id)
		}
	}
	for i, g := range in.Lines {
		if _, ok := in.Customers[g.CustomerID]; !ok {
			bad("line %d: unknown customer %q", i, g.CustomerID)
		}
		if _, ok := in.Organisers[g.OrganiserID]; !ok {
			bad("line %d: unknown organiser %q", i, g.OrganiserID)
		}
		if !validBps(g.VatBps) {
			bad("line %d: VAT %d bps out of range (no VAT rate valid on the work's date?)", i, g.VatBps)
		}
		if g.UnitPrice < 0 {
			bad("line %d: negative unit price", i) // reversals negate quantities, not prices
		}
		switch g.Kind {
		case models.KindParticipantHours, models.KindSupervisorHours:
			if g.Count != 0 {
				bad("line %d: %s with a cancellation count", i, g.Kind)
			}
		case models.KindLateCancellation:
			if g.Minutes != 0 {
				bad("line %d: %s with minutes", i, g.Kind)
			}
		default:
			bad("line %d: unknown kind %q", i, g.Kind)
		}
	}
	organiserOf := map[string]string{}
	for i, g := range in.Payouts {
		if o, ok := organiserOf[g.ParticipantID]; ok && o != g.OrganiserID {
			bad("payout %d: participant %s under organisers %s and %s", i, g.ParticipantID, o, g.OrganiserID)
		}
		organiserOf[g.ParticipantID] = g.OrganiserID
		switch g.Compensation {
		case models.CompensationDailyAllowance, models.CompensationHourlyWage, models.CompensationNone:
		default:
			bad("payout %d: unknown compensation %q", i, g.Compensation)
		}
		if g.DailyAllowance < 0 || g.HourlyWage < 0 {
			bad("payout %d: negative rate", i)
		}
	}
	return errors.Join(errs...)
}

func sortedKeys[K cmp.Ordered, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
