package finance

import (
	"bytes"
	"context"
	"fmt"
	"io"

	"gorm.io/gorm"

	"jobcenter/auth"
	"jobcenter/billing"
	"jobcenter/finance/export"
	"jobcenter/finance/pdf"
	"jobcenter/models"
	"jobcenter/participants"
	"jobcenter/store"
)

// payslip is what a payslip shows, loaded in one transaction with its
// access-log entry.
type payslip struct {
	payout       models.Payout
	employer     models.Organization
	employee     models.Participant
	identityCode string
	groups       []billing.PayoutGroup
	year         yearToDate
}

// yearToDate are the employee's figures with the employer over the payment
// date's year, up to and including the payout.
type yearToDate struct {
	Gross, Withholding, Pension, Unemployment, Net models.Cents
}

// PayslipPDF prepares the payslip of a payout in the participant's
// language: what the Employment Contracts Act (Työsopimuslaki 55/2001, 2:16)
// asks the employer to give with each pay — the pay, how it is made up and
// every deduction — with the pay period, payment date and the year's
// cumulative figures. The employer's own costs are the employer's business
// and do not appear. Finance gets any payout, a supervisor only its own
// organiser's (another's is a 404). A payout without wage or työosuusraha
// has no payslip (409). The read is access-logged: a payslip carries the
// participant's name, identity code and pay.
func (s *Service) PayslipPDF(ctx context.Context, p auth.Principal, payoutID, route string) (File, error) {
	organiser := ""
	switch p.Role {
	case models.RoleFinance:
	case models.RoleSupervisor:
		organiser = p.OrganizationID
	default:
		return File{}, fmt.Errorf("role %s may not read payslips: %w", p.Role, models.ErrForbidden)
	}
	var ps payslip
	err := s.DB.WithTx(ctx, func(tx *gorm.DB) error {
		var err error
		if ps, err = s.loadPayslip(tx, p.TenantID, payoutID, organiser); err != nil {
			return err
		}
		return participants.LogAccess(tx, p, s.Clock.Now(), route, models.AccessRead, ps.payout.ParticipantID)
	})
	if err != nil {
		return File{}, err
	}
	var buf bytes.Buffer
	if err := s.renderPayslip(&buf, ps); err != nil {
		return File{}, err
	}
	return File{
		Name:        fmt.Sprintf("payslip-%s-%s.pdf", ps.payout.Period, ps.payout.ID),
		ContentType: ContentTypePDF,
		Write: func(w io.Writer) error {
			_, err := buf.WriteTo(w)
			return err
		},
	}, nil
}

func (s *Service) loadPayslip(tx *gorm.DB, tenantID, payoutID, organiser string) (payslip, error) {
	var ps payslip
	q := tx.Where("tenant_id = ? AND id = ?", tenantID, payoutID)
	if organiser != "" {
		q = q.Where("organiser_id = ?", organiser)
	}
	if err := q.Take(&ps.payout).Error; err != nil {
		return ps, store.NotFound(err, "payout")
	}
	po := ps.payout
	if po.WageCents == 0 && po.GrossCents == 0 && po.HolidayCompensationCents == 0 {
		return ps, models.Conflict("no_pay", "the payout has no wage, työosuusraha or holiday compensation: there is no payslip to show")
	}
	if err := tx.Where("tenant_id = ? AND id = ?", tenantID, po.OrganiserID).Take(&ps.employer).Error; err != nil {
		return ps, fmt.Errorf("payslip employer: %w", err)
	}
	if err := tx.Where("tenant_id = ? AND id = ?", tenantID, po.ParticipantID).Take(&ps.employee).Error; err != nil {
		return ps, fmt.Errorf("payslip employee: %w", err)
	}
	if sealed := ps.employee.IdentityCodeEncrypted; sealed != "" {
		code, err := s.Participants.OpenIdentityCode(tenantID, ps.employee.ID, sealed)
		if err != nil {
			return ps, fmt.Errorf("payslip employee: %w", err)
		}
		ps.identityCode = models.MaskIdentityCode(code)
	}
	if po.BillingRunID != nil {
		var err error
		if ps.groups, err = billing.PaidGroups(tx, *po.BillingRunID, po.ParticipantID); err != nil {
			return ps, err
		}
	}
	// The year's payouts up to this one (payment date, then id). A payout
	// carried into a later one up to this one is counted in that one, which
	// holds its figures.
	at := `(%[1]s.payment_date < @date OR (%[1]s.payment_date = @date AND %[1]s.id <= @id))`
	err := tx.Raw(`SELECT COALESCE(SUM(po.gross_cents + po.holiday_compensation_cents), 0) AS gross,
			COALESCE(SUM(po.withholding_cents), 0) AS withholding, COALESCE(SUM(po.pension_cents), 0) AS pension,
			COALESCE(SUM(po.unemployment_insurance_cents), 0) AS unemployment, COALESCE(SUM(po.net_cents), 0) AS net
		FROM payouts po LEFT JOIN payouts c ON c.id = po.carried_into
		WHERE po.tenant_id = @tenant AND po.participant_id = @participant AND po.organiser_id = @organiser
			AND po.payment_date >= @year AND `+fmt.Sprintf(at, "po")+`
			AND NOT (c.id IS NOT NULL AND `+fmt.Sprintf(at, "c")+`)`,
		map[string]any{"tenant": tenantID, "participant": po.ParticipantID, "organiser": po.OrganiserID,
			"year": models.Date{Year: po.PaymentDate.Year, Month: 1, Day: 1}, "date": po.PaymentDate, "id": po.ID}).
		Scan(&ps.year).Error
	if err != nil {
		return ps, fmt.Errorf("payslip year to date: %w", err)
	}
	return ps, nil
}

func (s *Service) renderPayslip(w io.Writer, ps payslip) error {
	po, er, ee := ps.payout, ps.employer, ps.employee
	doc := pdf.NewDocument(ee.Language, localDate(po.PaymentDate, s.Loc))
	euros := func(c models.Cents) string { return export.FormatEuros(c, ',') + " €" }
	hours := func(minutes int64) string {
		return export.FormatEuros(models.Cents(models.HalfUpDiv(minutes*100, 60)), ',') + " " + doc.T("unit_hours")
	}

	employer := []string{doc.T("employer") + ": " + er.Name}
	if er.BillingStreet != "" {
		employer = append(employer, er.BillingStreet, er.BillingPostalCode+" "+er.BillingCity)
	}
	employer = append(employer, doc.T("business_id")+" "+er.BusinessID)
	employee := []string{doc.T("employee") + ": " + ee.FirstName + " " + ee.LastName}
	if ps.identityCode != "" {
		employee = append(employee, doc.T("identity_code")+" "+ps.identityCode)
	}
	doc.Header(doc.T("payslip"), employer, employee)

	period, err := models.ParsePeriod(po.Period)
	if err != nil {
		return fmt.Errorf("payslip %s: %w", po.ID, err)
	}
	doc.Fields([]pdf.Field{
		{Label: doc.T("pay_period"), Value: finnishDate(period.FirstDay()) + "–" + finnishDate(period.LastDay())},
		{Label: doc.T("payment_date"), Value: finnishDate(po.PaymentDate)},
		{Label: doc.T("days_worked"), Value: fmt.Sprintf("%d", po.Days)},
	})

	// Pay: hours × rate and days × allowance per decision of the run; what
	// the payout holds beyond them (a credit note's reversal, an earlier
	// balance carried in) is one adjustment line.
	var rows [][]string
	var wage, allowance models.Cents
	for _, g := range ps.groups {
		switch g.Compensation {
		case models.CompensationHourlyWage:
			amount := models.MinutesAmount(g.Minutes, g.HourlyWage)
			wage += amount
			rows = append(rows, []string{doc.T("hourly_wage"), hours(g.Minutes), euros(g.HourlyWage), euros(amount)})
		case models.CompensationDailyAllowance:
			amount := models.Cents(g.Days) * g.DailyAllowance
			allowance += amount
			rows = append(rows, []string{doc.T("work_share"), fmt.Sprintf("%d %s", g.Days, doc.T("unit_days")), euros(g.DailyAllowance), euros(amount)})
		}
	}
	if d := po.WageCents - wage; d != 0 {
		rows = append(rows, []string{doc.T("wage_adjustment"), "", "", euros(d)})
	}
	if d := po.GrossCents - po.WageCents - allowance; d != 0 {
		rows = append(rows, []string{doc.T("work_share_adjustment"), "", "", euros(d)})
	}
	if po.HolidayCompensationCents != 0 {
		rows = append(rows, []string{doc.T("holiday_compensation_paid"), "", "", euros(po.HolidayCompensationCents)})
	}
	doc.Table([]pdf.Column{{Heading: doc.T("col_pay"), Width: 0.46, Align: "L"}, {Heading: doc.T("col_quantity"), Width: 0.16, Align: "R"},
		{Heading: doc.T("col_unit_price"), Width: 0.18, Align: "R"}, {Heading: doc.T("col_amount_eur"), Width: 0.20, Align: "R"}}, rows)

	gross := po.GrossCents + po.HolidayCompensationCents
	totals := []pdf.Field{{Label: doc.T("gross_pay"), Value: euros(gross)}}
	if po.TaxFreeCents != 0 {
		totals = append(totals, pdf.Field{Label: doc.T("tax_free_part"), Value: euros(po.TaxFreeCents)})
	}
	totals = append(totals,
		pdf.Field{Label: doc.T("withholding"), Value: "− " + euros(po.WithholdingCents)},
		pdf.Field{Label: doc.T("employee_pension"), Value: "− " + euros(po.PensionCents)},
		pdf.Field{Label: doc.T("employee_unemployment"), Value: "− " + euros(po.UnemploymentInsuranceCents)},
		pdf.Field{Label: doc.T("net_pay"), Value: euros(po.NetCents)})
	doc.Totals(totals)
	if po.CarriedNetCents != 0 {
		doc.Text(fmt.Sprintf(doc.T("carried_net"), euros(po.CarriedNetCents)))
	}
	if po.NetCents > 0 {
		doc.Text(doc.T("paid_to_account"))
	}
	if po.HolidayAccruedCents != 0 {
		doc.Text(fmt.Sprintf(doc.T("holiday_accrued"), euros(po.HolidayAccruedCents)))
	}

	y := ps.year
	doc.Text(fmt.Sprintf(doc.T("year_to_date"), finnishDate(models.Date{Year: po.PaymentDate.Year, Month: 1, Day: 1}), finnishDate(po.PaymentDate)))
	doc.Table([]pdf.Column{{Heading: doc.T("ytd_gross"), Width: 0.2, Align: "R"}, {Heading: doc.T("ytd_withholding"), Width: 0.2, Align: "R"},
		{Heading: doc.T("ytd_pension"), Width: 0.2, Align: "R"}, {Heading: doc.T("ytd_unemployment"), Width: 0.2, Align: "R"},
		{Heading: doc.T("ytd_net"), Width: 0.2, Align: "R"}},
		[][]string{{euros(y.Gross), euros(y.Withholding), euros(y.Pension), euros(y.Unemployment), euros(y.Net)}})
	return doc.Write(w)
}
